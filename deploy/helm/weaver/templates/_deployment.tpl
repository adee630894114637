{{/*
One Deployment of the image. Args: root, name (the service: its config, ports, TLS identity),
component (the resource name: the service, or agent-<type> for a per-agent runner), values
(the merged service values), and for agent-runners agents (WEAVER_AGENTS) and dispatch.
*/}}
{{- define "weaver.deployment" -}}
{{- $v := .root.Values -}}
{{- $svc := get $v.services .name -}}
{{- $labels := dict "root" .root "component" .component -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: weaver-{{ .component }}
  labels:
    {{- include "weaver.labels" $labels | nindent 4 }}
    app.kubernetes.io/component: {{ .name }}
spec:
  {{- if not .scaled }}
  replicas: {{ .values.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels: {{- include "weaver.selector" $labels | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate: { maxUnavailable: 0, maxSurge: 1 }
  template:
    metadata:
      labels:
        {{- include "weaver.labels" $labels | nindent 8 }}
        app.kubernetes.io/component: {{ .name }}
      {{- with .values.podAnnotations }}
      annotations: {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      automountServiceAccountToken: false
      {{- if le (int $v.terminationGracePeriodSeconds) (div (add (int $v.shutdownDrainMs) (int $v.shutdownTimeoutMs)) 1000 | int) }}
      {{- fail (printf "terminationGracePeriodSeconds %v must exceed (shutdownDrainMs + shutdownTimeoutMs) / 1000" $v.terminationGracePeriodSeconds) }}
      {{- end }}
      terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
      {{- include "weaver.podSecurity" .root | nindent 6 }}
      {{- with .values.nodeSelector }}
      nodeSelector: {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .values.tolerations }}
      tolerations: {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .values.affinity }}
      affinity: {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .name }}
          image: {{ include "weaver.image" .root }}
          imagePullPolicy: {{ $v.image.pullPolicy }}
          {{- include "weaver.command" (dict "root" .root "name" .name "args" $v.image.args) | nindent 10 }}
          ports:
            - { name: http, containerPort: {{ $svc.httpPort }} }
            - { name: grpc, containerPort: {{ $svc.grpcPort }} }
          env:
            {{- include "weaver.env" (dict "root" .root "name" .name "replicas" .values.replicas "agents" .agents "dispatch" .dispatch) | nindent 12 }}
            {{- with .values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- if and (eq .name "router") $v.secrets.routerEnvSecret }}
          envFrom:
            - secretRef: { name: {{ $v.secrets.routerEnvSecret }} }
          {{- end }}
          volumeMounts: {{- include "weaver.mounts" . | nindent 12 }}
          # service-kit: /health/live is the process, /health/ready its dependencies and drain state.
          startupProbe:
            httpGet: { path: /health/live, port: http }
            {{- toYaml $v.probes.startup | nindent 12 }}
          readinessProbe:
            httpGet: { path: /health/ready, port: http }
            {{- toYaml $v.probes.readiness | nindent 12 }}
          livenessProbe:
            httpGet: { path: /health/live, port: http }
            {{- toYaml $v.probes.liveness | nindent 12 }}
          resources: {{- toYaml .values.resources | nindent 12 }}
          securityContext: {{- toYaml $v.securityContext | nindent 12 }}
      volumes: {{- include "weaver.volumes" . | nindent 8 }}
{{- end -}}

{{- define "weaver.pdb" -}}
{{- $labels := dict "root" .root "component" .component -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: weaver-{{ .component }}
  labels: {{- include "weaver.labels" $labels | nindent 4 }}
spec:
  maxUnavailable: {{ .values.pdb.maxUnavailable }}
  selector:
    matchLabels: {{- include "weaver.selector" $labels | nindent 6 }}
{{- end -}}
