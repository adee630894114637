{{/* Names and labels. Resources are weaver-<component>, as in the former k8s/base. */}}
{{- define "weaver.name" -}}weaver-{{ . }}{{- end -}}

{{- define "weaver.labels" -}}
app.kubernetes.io/name: weaver-{{ .component }}
app.kubernetes.io/part-of: weaver
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ .root.Chart.Name }}-{{ .root.Chart.Version }}
{{- end -}}

{{- define "weaver.selector" -}}
app.kubernetes.io/name: weaver-{{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* A service's values: serviceDefaults merged under services.<name>. */}}
{{- define "weaver.service" -}}
{{- $svc := get .root.Values.services .name | default dict -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.serviceDefaults) $svc) -}}
{{- end -}}

{{- define "weaver.image" -}}{{ .Values.image.repository }}:{{ .Values.image.tag }}{{- end -}}

{{/* command/args of a service's container: SERVICE in image.args is the service name. */}}
{{- define "weaver.command" -}}
{{- if .root.Values.image.command }}
command: {{ toJson .root.Values.image.command }}
{{- end }}
args: {{ toJson (fromJsonArray (replace "SERVICE" .name (toJson .args))) }}
{{- end -}}

{{- define "weaver.grpcTlsSecret" -}}{{ replace "SERVICE" .name .root.Values.grpcTls.secretName }}{{- end -}}

{{/* host:port of a service's gRPC endpoint. */}}
{{- define "weaver.grpcUrl" -}}
{{- $svc := get .root.Values.services .name -}}
weaver-{{ .name }}{{ with .root.Values.peerNamespace }}.{{ . }}{{ end }}:{{ $svc.grpcPort }}
{{- end -}}

{{/* The Kafka prefix of an installation or an isolated tenant (TopicNames, libs/messaging). */}}
{{- define "weaver.kafkaPrefix" -}}
{{- $ns := .Values.kafka.namespace -}}
{{- $tenant := .Values.agentRunner.isolatedTenant -}}
{{- if $ns }}{{ $ns }}.{{ end }}{{ if $tenant }}tenant-{{ $tenant }}.{{ end }}
{{- end -}}

{{- define "weaver.podSecurity" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets: {{ toYaml . | nindent 2 }}
{{- end }}
securityContext: {{ toYaml .Values.podSecurityContext | nindent 2 }}
{{- end -}}
