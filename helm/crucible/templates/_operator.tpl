{{/* The reconcile rules of services/operator/RBAC.md (leases are granted separately). */}}
{{- define "crucible.operator.rules" -}}
- apiGroups: [crucible.dev]
  resources: [trainingruns, modeldeployments]
  verbs: [get, list, watch, create, update, patch]
- apiGroups: [crucible.dev]
  resources: [trainingruns/status, modeldeployments/status]
  verbs: [get, update, patch]
- apiGroups: [crucible.dev]
  resources: [trainingruns/finalizers, modeldeployments/finalizers]
  verbs: [update]
- apiGroups: [batch]
  resources: [jobs]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch, delete]
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [""]
  resources: [services, configmaps]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list]
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch]
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [create, patch]
{{- end }}

{{/* Namespaces the operator reconciles (comma-separated): the release namespace plus operator.watchNamespaces. */}}
{{- define "crucible.operator.namespaces" -}}
{{- prepend .Values.operator.watchNamespaces .Release.Namespace | uniq | join "," -}}
{{- end }}
