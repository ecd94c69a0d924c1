{{/*
What differs between components: the variables of their config.ts that the chart sets, their
config files, extra volumes and mounts. Shared parts (/tmp, the data and checkpoint volumes,
the Kafka CA, the `config` YAML of services that read <NAME>_CONFIG_FILE) are in
deployment.yaml and configmap.yaml.
*/}}

{{/* Components with a `config` value: the variable naming the mounted file. */}}
{{- define "crucible.configFileVar" -}}
{{- get (dict "cleaning" "CLEANING_CONFIG_FILE" "tokenization" "TOKENIZATION_CONFIG_FILE" "training" "TRAINING_CONFIG_FILE" "evaluation" "EVALUATION_CONFIG_FILE" "safety" "SAFETY_CONFIG_FILE") . -}}
{{- end }}

{{- define "crucible.ingestion.configData" -}}
{{- end }}

{{- define "crucible.cleaning.configData" -}}
DEDUP_INDEX_PATH: /var/lib/crucible/index/dedup.sqlite
{{- end }}
{{- define "crucible.cleaning.volumes" -}}
- name: index
  {{- if .Values.persistence.cleaningIndex.enabled }}
  persistentVolumeClaim:
    claimName: {{ .Values.persistence.cleaningIndex.existingClaim | default (printf "%s-cleaning-index" (include "crucible.fullname" .)) }}
  {{- else }}
  emptyDir: {}
  {{- end }}
{{- end }}
{{- define "crucible.cleaning.volumeMounts" -}}
- {name: index, mountPath: /var/lib/crucible/index}
{{- end }}

{{- define "crucible.tokenization.configData" -}}
{{- end }}

{{- define "crucible.training.configData" -}}
TRAINING_LAUNCHER: {{ .Values.training.launcher | quote }}
{{- end }}

{{- define "crucible.evaluation.configData" -}}
{{- end }}

{{- define "crucible.safety.configData" -}}
{{- end }}

{{- define "crucible.serving.configData" -}}
SERVING_AUTH: "on"
{{- if .Values.operator.enabled }}
# The operator runs canaries and writes the traffic split; the gateway follows the file.
SERVING_ROLLOUT: external
SERVING_ROUTING_FILE: /etc/crucible/routing/{{ .Values.serving.routingFileKey }}
{{- else }}
SERVING_ROLLOUT: embedded
{{- end }}
{{- end }}
{{- define "crucible.serving.volumes" -}}
{{- if .Values.operator.enabled }}
# The operator owns this ConfigMap; optional, so the gateway starts before the first rollout.
# The kubelet refreshes the mounted file in place when it changes.
- name: routing
  configMap:
    name: {{ include "crucible.routingConfigMapName" . }}
    optional: true
{{- end }}
{{- end }}
{{- define "crucible.serving.volumeMounts" -}}
{{- if .Values.operator.enabled }}
- {name: routing, mountPath: /etc/crucible/routing, readOnly: true}
{{- end }}
{{- end }}
{{/* The gateway's secrets as variables (names per services/serving/src/config.ts). */}}
{{- define "crucible.serving.secretEnv" -}}
- name: SERVING_KEY_PEPPER
  valueFrom:
    secretKeyRef:
      name: {{ include "crucible.servingSecretName" . }}
      key: {{ .Values.serving.auth.keyPepperKey }}
- name: SERVING_ADMIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "crucible.servingSecretName" . }}
      key: {{ .Values.serving.auth.adminTokenKey }}
{{- end }}

{{- define "crucible.operator.configData" -}}
OPERATOR_ROUTING_CONFIGMAP: {{ include "crucible.routingConfigMapName" . }}
OPERATOR_NAMESPACES: {{ if not .Values.operator.watchAllNamespaces }}{{ include "crucible.operator.namespaces" . | quote }}{{ else }}""{{ end }}
OPERATOR_LEASE_NAMESPACE: {{ .Release.Namespace | quote }}
OPERATOR_LEASE_NAME: {{ include "crucible.componentName" (dict "root" . "component" "operator") }}
OPERATOR_TRAINING_DEFAULTS_FILE: /etc/crucible/operator/training-pod-defaults.json
# ModelDeployments made from model.approved run the service image and read the data claim.
OPERATOR_SERVING_IMAGE: {{ include "crucible.image" (dict "root" . "image" .Values.image) | quote }}
{{- if .Values.persistence.data.enabled }}
OPERATOR_MODELS_CLAIM: {{ include "crucible.dataClaimName" . }}
{{- end }}
{{- if .Values.serving.enabled }}
# Canary analysis reads the gateway's Prometheus text (through its Service: one replica per scrape).
OPERATOR_METRICS_URLS: {{ printf "http://%s.%s.svc:%v/metrics" (include "crucible.componentName" (dict "root" . "component" "serving")) .Release.Namespace .Values.serving.service.port | quote }}
{{- end }}
{{- end }}
{{- define "crucible.operator.files" -}}
training-pod-defaults.json: {{ include "crucible.trainingPodDefaults" . | quote }}
{{- end }}
{{- define "crucible.operator.volumes" -}}
- name: operator-config
  configMap:
    name: {{ include "crucible.componentName" (dict "root" . "component" "operator") }}-files
    items:
      - {key: training-pod-defaults.json, path: training-pod-defaults.json}
{{- end }}
{{- define "crucible.operator.volumeMounts" -}}
- {name: operator-config, mountPath: /etc/crucible/operator, readOnly: true}
{{- end }}

{{/* What the operator puts on TrainingRun Jobs unless a TrainingRun says otherwise. */}}
{{- define "crucible.trainingPodDefaults" -}}
{{- $p := .Values.trainingPods -}}
{{- /* Quantities as strings (`cpu: 4` in values is a number; the operator reads strings). */ -}}
{{- $resources := dict -}}
{{- range $kind, $q := $p.resources }}{{- $m := dict }}{{- range $name, $v := $q }}{{- $_ := set $m $name (toString $v) }}{{- end }}{{- $_ := set $resources $kind $m }}{{- end -}}
{{- $d := dict
  "image" (include "crucible.image" (dict "root" . "image" .Values.trainerImage))
  "imagePullPolicy" .Values.image.pullPolicy
  "imagePullSecrets" .Values.image.pullSecrets
  "gpus" $p.gpus
  "nodeSelector" $p.nodeSelector
  "tolerations" $p.tolerations
  "resources" $resources
  "priorityClassName" $p.priorityClassName
  "serviceAccountName" (include "crucible.componentName" (dict "root" . "component" "trainer"))
  "dataClaimName" (ternary (include "crucible.dataClaimName" .) "" .Values.persistence.data.enabled)
  "checkpointClaimName" (ternary (include "crucible.checkpointClaimName" .) "" .Values.persistence.checkpoints.enabled)
-}}
{{- toJson $d -}}
{{- end }}

{{/* Files of a component's `-files` ConfigMap: its `config` value, plus any component-specific file. */}}
{{- define "crucible.componentFiles" -}}
{{- $v := index .root.Values .component -}}
{{- if and (include "crucible.configFileVar" .component) $v.config }}
{{ .component }}.yaml: {{ $v.config | quote }}
{{- end }}
{{- if eq .component "operator" }}
{{ include "crucible.operator.files" .root }}
{{- end }}
{{- end }}
