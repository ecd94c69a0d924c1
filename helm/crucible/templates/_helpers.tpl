{{/*
Names, labels and shared snippets. Components are the pipeline services plus the gateway
(serving) and the operator; each one's values live under the top-level key of its name.
*/}}

{{- define "crucible.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "crucible.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "crucible.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "crucible.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "crucible.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The name of one component's objects: <fullname>-<component>, 63 characters at most. */}}
{{- define "crucible.componentName" -}}
{{- printf "%s-%s" (include "crucible.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "crucible.labels" -}}
helm.sh/chart: {{ include "crucible.chart" . }}
app.kubernetes.io/name: {{ include "crucible.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: crucible
{{- end }}

{{/* Labels shared by every pod of this release: what the NetworkPolicies select. */}}
{{- define "crucible.releaseSelector" -}}
app.kubernetes.io/name: {{ include "crucible.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* dict root component */}}
{{- define "crucible.selectorLabels" -}}
{{ include "crucible.releaseSelector" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "crucible.componentLabels" -}}
{{ include "crucible.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* dict root image: registry/repository:tag, the tag defaulting to the chart's appVersion. */}}
{{- define "crucible.image" -}}
{{- $tag := .image.tag | default .root.Chart.AppVersion -}}
{{- if .image.digest -}}
{{- printf "%s/%s@%s" .image.registry .image.repository .image.digest -}}
{{- else -}}
{{- printf "%s/%s:%s" .image.registry .image.repository $tag -}}
{{- end -}}
{{- end }}

{{/* Components in a fixed order, so every template renders them the same way. */}}
{{- define "crucible.components" -}}
ingestion cleaning tokenization training evaluation safety serving operator
{{- end }}

{{/* Components whose settings name the metadata registry (CRUCIBLE_REGISTRY_URL). */}}
{{- define "crucible.registryClients" -}}
training evaluation safety serving
{{- end }}

{{/* Components that mount the shared data volume (datasets, tokenizers, model versions). */}}
{{- define "crucible.dataClients" -}}
tokenization training evaluation safety serving
{{- end }}

{{/* Components that mount the checkpoint volume. */}}
{{- define "crucible.checkpointClients" -}}
training evaluation safety serving
{{- end }}

{{/* Does this component call the Kubernetes API? dict root component */}}
{{- define "crucible.needsKubeApi" -}}
{{- if eq .component "operator" -}}true
{{- else if and (eq .component "training") (eq .root.Values.training.launcher "kubernetes") -}}true
{{- end -}}
{{- end }}

{{- define "crucible.serviceAccountName" -}}
{{- include "crucible.componentName" . }}
{{- end }}

{{- define "crucible.postgresSecretName" -}}
{{- .Values.postgresql.existingSecret | default (printf "%s-postgresql" (include "crucible.fullname" .)) }}
{{- end }}

{{- define "crucible.kafkaSecretName" -}}
{{- .Values.kafka.sasl.existingSecret | default (printf "%s-kafka" (include "crucible.fullname" .)) }}
{{- end }}

{{- define "crucible.servingSecretName" -}}
{{- .Values.serving.auth.existingSecret | default (printf "%s-serving" (include "crucible.fullname" .)) }}
{{- end }}

{{- define "crucible.dataClaimName" -}}
{{- .Values.persistence.data.existingClaim | default (printf "%s-data" (include "crucible.fullname" .)) }}
{{- end }}

{{- define "crucible.checkpointClaimName" -}}
{{- .Values.persistence.checkpoints.existingClaim | default (printf "%s-checkpoints" (include "crucible.fullname" .)) }}
{{- end }}

{{- define "crucible.routingConfigMapName" -}}
{{- printf "%s-routing" (include "crucible.fullname" .) }}
{{- end }}
