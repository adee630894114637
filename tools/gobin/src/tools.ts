/**
 * The Go programs the suite builds (one entry each; versions pinned, see
 * ../shared/design/DEPENDENCIES.md for what the proxy serves).
 */
export interface GoTool {
  readonly name: string;
  /** The package to build (a main package). */
  readonly pkg: string;
  readonly version: string;
  /** The binary's file name when it differs from `name`. */
  readonly binary?: string;
  /** A go.mod for a wrapper module, for modules that cannot be installed by version. */
  readonly wrapper?: string;
}

export const GO_TOOLS = {
  helm: { name: 'helm', pkg: 'helm.sh/helm/v3/cmd/helm', version: 'v3.22.0' },
  // Validates the chart's rendered manifests against schemas made offline (deploy/helm/schemas).
  // Makes the ServiceMonitor CRD schema from the prometheus-operator API types (tools/helm).
  'controller-gen': { name: 'controller-gen', pkg: 'sigs.k8s.io/controller-tools/cmd/controller-gen', version: 'v0.19.0' },
  kubeconform: { name: 'kubeconform', pkg: 'github.com/yannh/kubeconform/cmd/kubeconform', version: 'v0.7.0' },
  // Jaeger v2 (an OpenTelemetry Collector distribution): the trace collector of e2e/tracing.
  // Its go.mod replaces sarama, so it cannot be `go install`ed by version: a wrapper restates it.
  jaeger: {
    name: 'jaeger',
    pkg: 'github.com/jaegertracing/jaeger/cmd/jaeger',
    version: 'v1.76.0',
    wrapper: [
      'module weaver.local/gobin/jaeger',
      '',
      'go 1.24.6',
      '',
      'require github.com/jaegertracing/jaeger v1.76.0',
      '',
      'replace github.com/Shopify/sarama => github.com/Shopify/sarama v1.33.0',
      '',
    ].join('\n'),
  },
} as const satisfies Record<string, GoTool>;

export type GoToolName = keyof typeof GO_TOOLS;
