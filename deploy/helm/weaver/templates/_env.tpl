{{/*
Each service's environment: exactly the variables its config schema (apps/<svc>/src/*config.ts)
validates at start; nothing a service does not read, and never DATABASE_OWNER_URL.
*/}}
{{- define "weaver.kafkaServices" -}}gateway,agent-runner,router,tenancy{{- end -}}
{{- define "weaver.cryptoServices" -}}gateway,agent-runner,publisher,router{{- end -}}

{{- define "weaver.env" -}}
{{- $v := .root.Values -}}
{{- $svc := get $v.services .name -}}
- { name: BIND_HOST, value: "0.0.0.0" }
- { name: HTTP_PORT, value: {{ $svc.httpPort | quote }} }
- { name: GRPC_PORT, value: {{ $svc.grpcPort | quote }} }
- { name: LOG_LEVEL, value: {{ $v.logLevel | quote }} }
- { name: SHUTDOWN_DRAIN_MS, value: {{ $v.shutdownDrainMs | quote }} }
- { name: SHUTDOWN_TIMEOUT_MS, value: {{ $v.shutdownTimeoutMs | quote }} }
{{- if $v.tracing.otlpEndpoint }}
- { name: OTEL_EXPORTER_OTLP_ENDPOINT, value: {{ $v.tracing.otlpEndpoint | quote }} }
- { name: OTEL_TRACES_SAMPLER_ARG, value: {{ $v.tracing.samplerRatio | quote }} }
{{- end }}
- { name: GRPC_TLS_CA_FILE, value: /var/run/weaver/tls/ca.crt }
- { name: GRPC_TLS_CERT_FILE, value: /var/run/weaver/tls/tls.crt }
- { name: GRPC_TLS_KEY_FILE, value: /var/run/weaver/tls/tls.key }
- name: DATABASE_URL
  valueFrom: { secretKeyRef: { name: {{ $v.postgresql.existingSecret }}, key: {{ get $v.postgresql.urlKeys .name | quote }} } }
{{- if has .name (splitList "," (include "weaver.kafkaServices" .)) }}
{{ include "weaver.env.kafka" .root }}
{{- end }}
{{- if has .name (splitList "," (include "weaver.cryptoServices" .)) }}
{{ include "weaver.env.crypto" .root }}
{{- end }}
{{- if has .name (list "gateway" "router" "agent-runner") }}
- { name: AUDIT_RECORDER, value: {{ $v.audit.recorder | quote }} }
{{- end }}
{{- if has .name (list "gateway" "router" "publisher" "agent-runner") }}
- { name: TENANCY_URL, value: {{ include "weaver.grpcUrl" (dict "root" .root "name" "tenancy") | quote }} }
{{- end }}
{{- if eq .name "gateway" }}
- { name: REGISTRY_URL, value: {{ include "weaver.grpcUrl" (dict "root" .root "name" "registry") | quote }} }
- { name: ROUTER_URL, value: {{ include "weaver.grpcUrl" (dict "root" .root "name" "router") | quote }} }
- { name: TOPIC_PARTITIONS, value: {{ $v.agentRunner.topicPartitions | quote }} }
- { name: GATEWAY_REPLICAS, value: {{ .replicas | quote }} }
- name: CAPABILITY_VERIFY_KEYS
  valueFrom: { secretKeyRef: { name: {{ $v.secrets.capability.existingSecret }}, key: {{ $v.secrets.capability.verifyKeysKey }} } }
{{- with $v.secrets.gatewayAdmin.existingSecret }}
- name: GATEWAY_ADMIN_TOKEN
  valueFrom: { secretKeyRef: { name: {{ . }}, key: {{ $v.secrets.gatewayAdmin.key }} } }
{{- end }}
{{- else if eq .name "router" }}
- { name: ROUTER_MODELS_FILE, value: {{ $v.router.modelsFile | quote }} }
- { name: ROUTER_OPENAI_API, value: {{ ternary "on" "off" $v.router.openaiApi.enabled | quote }} }
{{- if $v.redis.enabled }}
- name: REDIS_URL
  valueFrom: { secretKeyRef: { name: {{ $v.redis.existingSecret }}, key: {{ $v.redis.urlKey }} } }
{{- end }}
{{- else if eq .name "publisher" }}
- { name: RESULT_STORE, value: {{ $v.s3.store | quote }} }
{{- if eq $v.s3.store "filesystem" }}
- { name: RESULT_STORE_ROOT, value: /var/lib/weaver/results }
{{- else }}
{{- with $v.s3.endpoint }}
- { name: S3_ENDPOINT, value: {{ . | quote }} }
{{- end }}
- { name: S3_REGION, value: {{ $v.s3.region | quote }} }
- { name: S3_BUCKET, value: {{ $v.s3.bucket | quote }} }
{{- with $v.s3.existingSecret }}
- name: S3_ACCESS_KEY_ID
  valueFrom: { secretKeyRef: { name: {{ . }}, key: access-key-id } }
- name: S3_SECRET_ACCESS_KEY
  valueFrom: { secretKeyRef: { name: {{ . }}, key: secret-access-key } }
{{- end }}
{{- end }}
- name: CAPABILITY_SIGNING_KEY
  valueFrom: { secretKeyRef: { name: {{ $v.secrets.capability.existingSecret }}, key: {{ $v.secrets.capability.signingKeyKey }} } }
- name: CAPABILITY_VERIFY_KEYS
  valueFrom: { secretKeyRef: { name: {{ $v.secrets.capability.existingSecret }}, key: {{ $v.secrets.capability.verifyKeysKey }} } }
{{- else if eq .name "tenancy" }}
- { name: AUDIT_ENABLED, value: {{ $v.audit.enabled | quote }} }
{{- if $v.audit.enabled }}
- { name: AUDIT_SIGNING_KEY_FILE, value: /var/run/weaver/audit/{{ $v.audit.signingKeyKey }} }
- { name: AUDIT_CHECKPOINT_EVERY, value: {{ $v.audit.checkpointEvery | quote }} }
- { name: AUDIT_CHECKPOINT_INTERVAL_MS, value: {{ $v.audit.checkpointIntervalMs | quote }} }
{{- end }}
{{- else if eq .name "agent-runner" }}
- { name: ROUTER_URL, value: {{ include "weaver.grpcUrl" (dict "root" .root "name" "router") | quote }} }
- { name: PUBLISHER_URL, value: {{ include "weaver.grpcUrl" (dict "root" .root "name" "publisher") | quote }} }
- { name: REGISTRY_URL, value: {{ include "weaver.grpcUrl" (dict "root" .root "name" "registry") | quote }} }
- { name: WEAVER_WORKFLOWS, value: {{ $v.agentRunner.workflows | quote }} }
- { name: TOPIC_PARTITIONS, value: {{ $v.agentRunner.topicPartitions | quote }} }
- { name: PROVISION_TOPICS, value: {{ $v.agentRunner.provisionTopics | quote }} }
- { name: WEAVER_SCHEDULE_TENANTS, value: {{ $v.agentRunner.scheduleTenants | quote }} }
- { name: WEAVER_AGENTS, value: {{ .agents | default "" | quote }} }
- { name: WEAVER_DISPATCH, value: {{ .dispatch | default false | quote }} }
- name: INSTANCE_ID
  valueFrom: { fieldRef: { fieldPath: metadata.name } }
{{- with $v.agentRunner.isolatedTenant }}
- { name: WEAVER_ISOLATED_TENANT, value: {{ . | quote }} }
{{- end }}
{{- end }}
{{- end -}}

{{- define "weaver.env.kafka" -}}
{{- $k := .Values.kafka -}}
- { name: KAFKA_BROKERS, value: {{ $k.brokers | quote }} }
- { name: KAFKA_NAMESPACE, value: {{ $k.namespace | quote }} }
- { name: KAFKA_TLS, value: {{ $k.tls.enabled | quote }} }
{{- if and $k.tls.enabled $k.tls.existingSecret }}
- { name: KAFKA_TLS_CA_FILE, value: /var/run/weaver/kafka-tls/ca.crt }
{{- if $k.tls.clientCert }}
- { name: KAFKA_TLS_CERT_FILE, value: /var/run/weaver/kafka-tls/tls.crt }
- { name: KAFKA_TLS_KEY_FILE, value: /var/run/weaver/kafka-tls/tls.key }
{{- end }}
{{- end }}
{{- with $k.tls.servername }}
- { name: KAFKA_TLS_SERVERNAME, value: {{ . | quote }} }
{{- end }}
- { name: KAFKA_SASL_MECHANISM, value: {{ $k.sasl.mechanism | quote }} }
{{- if ne $k.sasl.mechanism "none" }}
- { name: KAFKA_SASL_USERNAME, value: {{ required "kafka.sasl.username is required with a SASL mechanism" $k.sasl.username | quote }} }
- name: KAFKA_SASL_PASSWORD
  valueFrom: { secretKeyRef: { name: {{ required "kafka.sasl.existingSecret is required with a SASL mechanism" $k.sasl.existingSecret }}, key: {{ $k.sasl.passwordKey }} } }
{{- end }}
{{- end -}}

{{- define "weaver.env.crypto" -}}
{{- $c := .Values.crypto -}}
- { name: WEAVER_ENCRYPTION, value: {{ $c.encryption | quote }} }
- { name: WEAVER_KMS, value: {{ $c.kms | quote }} }
{{- if eq $c.kms "aws" }}
- { name: WEAVER_KMS_KEY_ID, value: {{ required "crypto.aws.keyId is required with crypto.kms=aws" $c.aws.keyId | quote }} }
- { name: WEAVER_KMS_REGION, value: {{ $c.aws.region | quote }} }
{{- with $c.aws.endpoint }}
- { name: WEAVER_KMS_ENDPOINT, value: {{ . | quote }} }
{{- end }}
{{- else }}
- { name: WEAVER_KMS_KEYRING_FILE, value: /var/run/weaver/keyring/keyring.json }
{{- end }}
{{- end -}}

{{/* Volumes and mounts matching the env above. */}}
{{- define "weaver.volumes" -}}
{{- $v := .root.Values -}}
- { name: tmp, emptyDir: {} }
- name: grpc-tls
  secret: { secretName: {{ include "weaver.grpcTlsSecret" . }} }
{{- if and (has .name (splitList "," (include "weaver.kafkaServices" .))) $v.kafka.tls.enabled $v.kafka.tls.existingSecret }}
- name: kafka-tls
  secret: { secretName: {{ $v.kafka.tls.existingSecret }} }
{{- end }}
{{- if and (has .name (splitList "," (include "weaver.cryptoServices" .))) (eq $v.crypto.kms "local") }}
- name: keyring
  secret: { secretName: {{ $v.crypto.localKeyringSecret }} }
{{- end }}
{{- if and (eq .name "tenancy") $v.audit.enabled }}
- name: audit-signing-key
  secret: { secretName: {{ $v.audit.signingKeySecret }}, defaultMode: 0400 }
{{- end }}
{{- if and (eq .name "publisher") (eq $v.s3.store "filesystem") }}
- { name: results, emptyDir: {} }
{{- end }}
{{- end -}}

{{- define "weaver.mounts" -}}
{{- $v := .root.Values -}}
- { name: tmp, mountPath: /tmp }
- { name: grpc-tls, mountPath: /var/run/weaver/tls, readOnly: true }
{{- if and (has .name (splitList "," (include "weaver.kafkaServices" .))) $v.kafka.tls.enabled $v.kafka.tls.existingSecret }}
- { name: kafka-tls, mountPath: /var/run/weaver/kafka-tls, readOnly: true }
{{- end }}
{{- if and (has .name (splitList "," (include "weaver.cryptoServices" .))) (eq $v.crypto.kms "local") }}
- { name: keyring, mountPath: /var/run/weaver/keyring, readOnly: true }
{{- end }}
{{- if and (eq .name "tenancy") $v.audit.enabled }}
- { name: audit-signing-key, mountPath: /var/run/weaver/audit, readOnly: true }
{{- end }}
{{- if and (eq .name "publisher") (eq $v.s3.store "filesystem") }}
- { name: results, mountPath: /var/lib/weaver/results }
{{- end }}
{{- end -}}
