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

{{/* The Kafka SASL credentials as variables, by Secret reference (services and the operator's pods). */}}
{{- define "crucible.kafkaSaslEnv" -}}
{{- if .Values.kafka.sasl.enabled }}
{{- if and .Values.kafka.sasl.existingSecret .Values.kafka.sasl.username }}
# e.g. a Strimzi KafkaUser Secret: it holds the password; the username is the KafkaUser's name.
- name: KAFKA_SASL_USERNAME
  value: {{ .Values.kafka.sasl.username | quote }}
{{- else }}
- name: KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ include "crucible.kafkaSecretName" . }}
      key: {{ .Values.kafka.sasl.usernameKey }}
{{- end }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "crucible.kafkaSecretName" . }}
      key: {{ .Values.kafka.sasl.passwordKey }}
{{- end }}
{{- end }}

{{/* The registry DSN, by Secret reference, when PostgreSQL is configured. */}}
{{- define "crucible.registryEnv" -}}
{{- if or .Values.postgresql.dsn .Values.postgresql.existingSecret }}
- name: CRUCIBLE_REGISTRY_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "crucible.postgresSecretName" . }}
      key: {{ .Values.postgresql.existingSecretKey }}
{{- end }}
{{- end }}

{{/* The Kafka CA as a file mount of the operator's pods (services/operator kube/pod-template.ts FileMount), where NODE_EXTRA_CA_CERTS of the common ConfigMap points. */}}
{{- define "crucible.kafkaCaMounts" -}}
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.caSecret }}
- name: kafka-ca
  mountPath: /etc/crucible/kafka-ca
  secret:
    secretName: {{ .Values.kafka.tls.caSecret }}
    items:
      - {key: {{ .Values.kafka.tls.caSecretKey }}, path: {{ .Values.kafka.tls.caSecretKey }}}
{{- end }}
{{- end }}

{{/* uid/gid of every pod of the release, the operator's included. */}}
{{- define "crucible.podSecurity" -}}
{{- dict "runAsUser" (int .Values.securityContext.runAsUser) "runAsGroup" (int .Values.securityContext.runAsGroup) "fsGroup" (int .Values.securityContext.fsGroup) | toJson -}}
{{- end }}

{{/*
What the operator puts on every per-version serving Deployment (services/operator
serving-pod-defaults.ts): the chart gateway's environment — the common ConfigMap (bus, Kafka
TLS and CA path, log level), its own settings and `serving.env`, the Kafka SASL credentials,
the registry DSN, the key pepper and admin token by Secret reference, `serving.extraEnv` — the
Kafka CA mount, the gateway's ServiceAccount and the pod security settings. The gateway's
routing file stays out: a version's pod is pinned by the operator (SERVING_ROUTES).
*/}}
{{- define "crucible.servingPodDefaults" -}}
{{- $env := printf "%s\n%s\n%s\n%s\n%s"
  (include "crucible.servingPodLiteralEnv" .)
  (include "crucible.kafkaSaslEnv" .)
  (include "crucible.registryEnv" .)
  (include "crucible.serving.secretEnv" .)
  (.Values.serving.extraEnv | default list | toYaml | trimPrefix "[]") -}}
{{- $d := dict
  "envFrom" (list (dict "configMapRef" (dict "name" (printf "%s-common" (include "crucible.fullname" .)))))
  "env" (fromYamlArray $env)
  "mounts" (include "crucible.kafkaCaMounts" . | fromYamlArray)
  "securityContext" (include "crucible.podSecurity" . | fromJson)
  "serviceAccountName" (include "crucible.serviceAccountName" (dict "root" . "component" "serving"))
  "imagePullPolicy" .Values.image.pullPolicy
  "imagePullSecrets" (.Values.image.pullSecrets | default list)
-}}
{{- toJson $d -}}
{{- end }}
{{- define "crucible.servingPodLiteralEnv" -}}
- name: SERVING_AUTH
  value: "on"
- name: KAFKA_CLIENT_ID
  value: {{ printf "%s-serving" .Values.kafka.clientIdPrefix | quote }}
# Stable per replica: Kafka transactional ids are <group>.<instance>.
- name: CRUCIBLE_INSTANCE_ID
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- range $name, $value := .Values.serving.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
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
OPERATOR_SERVING_DEFAULTS_FILE: /etc/crucible/operator/serving-pod-defaults.json
{{- if .Values.serving.enabled }}
# Canary analysis scrapes every ready pod of the gateway Service (its EndpointSlices) and sums them.
OPERATOR_METRICS_SERVICES: {{ printf "%s/%s:http" .Release.Namespace (include "crucible.componentName" (dict "root" . "component" "serving")) | quote }}
{{- end }}
{{- end }}
{{- define "crucible.operator.files" -}}
training-pod-defaults.json: {{ include "crucible.trainingPodDefaults" . | quote }}
serving-pod-defaults.json: {{ include "crucible.servingPodDefaults" . | quote }}
{{- end }}
{{- define "crucible.operator.volumes" -}}
- name: operator-config
  configMap:
    name: {{ include "crucible.componentName" (dict "root" . "component" "operator") }}-files
    items:
      - {key: training-pod-defaults.json, path: training-pod-defaults.json}
      - {key: serving-pod-defaults.json, path: serving-pod-defaults.json}
{{- end }}
{{- define "crucible.operator.volumeMounts" -}}
- {name: operator-config, mountPath: /etc/crucible/operator, readOnly: true}
{{- end }}

{{/*
What the operator puts on TrainingRun Jobs unless a TrainingRun says otherwise: placement, the
claims and where the services mount them (sharedMounts: the pods' checkpoint paths are reported
as the services see them), the common ConfigMap, the SASL credentials and registry DSN by Secret
reference, the Kafka CA mount and the pod security settings.
*/}}
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
  "sharedMounts" (dict "data" "/var/lib/crucible/data" "checkpoints" "/var/lib/crucible/checkpoints")
  "envFrom" (list (dict "configMapRef" (dict "name" (printf "%s-common" (include "crucible.fullname" .)))))
  "env" (printf "%s\n%s" (include "crucible.kafkaSaslEnv" .) (include "crucible.registryEnv" .) | fromYamlArray)
  "mounts" (include "crucible.kafkaCaMounts" . | fromYamlArray)
  "securityContext" (include "crucible.podSecurity" . | fromJson)
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
