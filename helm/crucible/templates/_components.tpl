{{/*
What differs between components: their ConfigMap data (the variables of their config.ts that
the chart sets), extra volumes and mounts. Shared mounts (/tmp, the data and checkpoint
volumes, the Kafka CA) are added by crucible.podSpec.
*/}}

{{- define "crucible.ingestion.configData" -}}
{{- end }}
{{- define "crucible.ingestion.files" -}}
{{- end }}
{{- define "crucible.ingestion.volumes" -}}
{{- end }}
{{- define "crucible.ingestion.volumeMounts" -}}
{{- end }}

{{- define "crucible.cleaning.configData" -}}
DEDUP_INDEX_PATH: /var/lib/crucible/index/dedup.sqlite
{{- if .Values.cleaning.config }}
CLEANING_CONFIG_FILE: /etc/crucible/cleaning/cleaning.yaml
{{- end }}
{{- end }}
{{- define "crucible.cleaning.files" -}}
{{- if .Values.cleaning.config }}
cleaning.yaml: {{ .Values.cleaning.config | quote }}
{{- end }}
{{- end }}
{{- define "crucible.cleaning.volumes" -}}
- name: index
  {{- if .Values.persistence.cleaningIndex.enabled }}
  persistentVolumeClaim:
    claimName: {{ .Values.persistence.cleaningIndex.existingClaim | default (printf "%s-cleaning-index" (include "crucible.fullname" .)) }}
  {{- else }}
  emptyDir: {}
  {{- end }}
{{- if .Values.cleaning.config }}
- name: cleaning-config
  configMap:
    name: {{ include "crucible.componentName" (dict "root" . "component" "cleaning") }}-files
    items:
      - {key: cleaning.yaml, path: cleaning.yaml}
{{- end }}
{{- end }}
{{- define "crucible.cleaning.volumeMounts" -}}
- {name: index, mountPath: /var/lib/crucible/index}
{{- if .Values.cleaning.config }}
- {name: cleaning-config, mountPath: /etc/crucible/cleaning, readOnly: true}
{{- end }}
{{- end }}

{{- define "crucible.tokenization.configData" -}}
{{- if .Values.tokenization.config }}
TOKENIZATION_CONFIG_FILE: /etc/crucible/tokenization/tokenization.yaml
{{- end }}
{{- end }}
{{- define "crucible.tokenization.files" -}}
{{- if .Values.tokenization.config }}
tokenization.yaml: {{ .Values.tokenization.config | quote }}
{{- end }}
{{- end }}
{{- define "crucible.tokenization.volumes" -}}
{{- if .Values.tokenization.config }}
- name: tokenization-config
  configMap:
    name: {{ include "crucible.componentName" (dict "root" . "component" "tokenization") }}-files
    items:
      - {key: tokenization.yaml, path: tokenization.yaml}
{{- end }}
{{- end }}
{{- define "crucible.tokenization.volumeMounts" -}}
{{- if .Values.tokenization.config }}
- {name: tokenization-config, mountPath: /etc/crucible/tokenization, readOnly: true}
{{- end }}
{{- end }}

{{- define "crucible.training.configData" -}}
TRAINING_LAUNCHER: {{ .Values.training.launcher | quote }}
{{- end }}
{{- define "crucible.training.files" -}}
{{- end }}
{{- define "crucible.training.volumes" -}}
{{- end }}
{{- define "crucible.training.volumeMounts" -}}
{{- end }}

{{- define "crucible.evaluation.configData" -}}
{{- end }}
{{- define "crucible.evaluation.files" -}}
{{- end }}
{{- define "crucible.evaluation.volumes" -}}
{{- end }}
{{- define "crucible.evaluation.volumeMounts" -}}
{{- end }}

{{- define "crucible.safety.configData" -}}
{{- end }}
{{- define "crucible.safety.files" -}}
{{- end }}
{{- define "crucible.safety.volumes" -}}
{{- end }}
{{- define "crucible.safety.volumeMounts" -}}
{{- end }}

{{- define "crucible.serving.configData" -}}
SERVING_ROUTING_FILE: /etc/crucible/routing/routing.json
{{- end }}
{{- define "crucible.serving.files" -}}
{{- end }}
{{- define "crucible.serving.volumes" -}}
# The operator owns this ConfigMap (it writes the traffic split); optional, so the gateway
# starts before the first rollout. The kubelet refreshes the file in place when it changes.
- name: routing
  configMap:
    name: {{ include "crucible.routingConfigMapName" . }}
    optional: true
{{- end }}
{{- define "crucible.serving.volumeMounts" -}}
- {name: routing, mountPath: /etc/crucible/routing, readOnly: true}
{{- end }}

{{- define "crucible.operator.configData" -}}
OPERATOR_ROUTING_CONFIGMAP: {{ include "crucible.routingConfigMapName" . }}
OPERATOR_TRAINING_DEFAULTS_FILE: /etc/crucible/operator/training-pod-defaults.json
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
{{- $d := dict
  "image" (include "crucible.image" (dict "root" . "image" .Values.trainerImage))
  "imagePullPolicy" .Values.image.pullPolicy
  "imagePullSecrets" .Values.image.pullSecrets
  "gpus" $p.gpus
  "nodeSelector" $p.nodeSelector
  "tolerations" $p.tolerations
  "resources" $p.resources
  "priorityClassName" $p.priorityClassName
  "serviceAccountName" (include "crucible.componentName" (dict "root" . "component" "trainer"))
  "dataClaimName" (ternary (include "crucible.dataClaimName" .) "" .Values.persistence.data.enabled)
  "checkpointClaimName" (ternary (include "crucible.checkpointClaimName" .) "" .Values.persistence.checkpoints.enabled)
-}}
{{- toJson $d -}}
{{- end }}

{{/* The gateway's secrets as variables (names per services/serving/src/config.ts). */}}
{{- define "crucible.serving.secretEnv" -}}
- name: SERVING_API_KEY_PEPPER
  valueFrom:
    secretKeyRef:
      name: {{ include "crucible.servingSecretName" . }}
      key: {{ .Values.serving.auth.apiKeyPepperKey }}
- name: SERVING_ADMIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "crucible.servingSecretName" . }}
      key: {{ .Values.serving.auth.adminTokenKey }}
{{- end }}
