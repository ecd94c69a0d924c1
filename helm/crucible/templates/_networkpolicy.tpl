{{/* An egress rule to cidrs and/or selected pods on the given TCP ports; values: {cidrs, namespaceSelector, podSelector, ports}. */}}
{{- define "crucible.egressRule" -}}
- ports:
    {{- range .ports }}
    - {protocol: TCP, port: {{ . }}}
    {{- end }}
  {{- if or .cidrs .namespaceSelector .podSelector }}
  to:
    {{- range .cidrs }}
    - ipBlock: {cidr: {{ . | quote }}}
    {{- end }}
    {{- if or .namespaceSelector .podSelector }}
    - {{- with .namespaceSelector }}
      namespaceSelector:
        matchLabels:
          {{- toYaml . | nindent 10 }}
      {{- end }}
      {{- with .podSelector }}
      podSelector:
        matchLabels:
          {{- toYaml . | nindent 10 }}
      {{- end }}
    {{- end }}
  {{- end }}
{{- end }}

{{/* NetworkPolicyPeers from [{cidr} | {namespaceSelector, podSelector}]. */}}
{{- define "crucible.peers" -}}
{{- range . }}
{{- if .cidr }}
- ipBlock: {cidr: {{ .cidr | quote }}}
{{- else }}
- {{- with .namespaceSelector }}
  namespaceSelector:
    matchLabels:
      {{- toYaml . | nindent 6 }}
  {{- end }}
  {{- with .podSelector }}
  podSelector:
    matchLabels:
      {{- toYaml . | nindent 6 }}
  {{- end }}
{{- end }}
{{- end }}
{{- end }}
