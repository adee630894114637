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
  /** Extra `-X` linker settings (a wrapper build has no module version to stamp by itself). */
  readonly ldflags?: string;
}

/**
 * A wrapper go.mod: requires `root@version` and pins each module that root's go.mod replaces
 * with a local path (k8s.io staging repos, etcd's sibling modules) to its published version.
 */
function wrapperGoMod(root: string, version: string, replaced: Record<string, string>): string {
  const lines = Object.entries(replaced).map(([mod, v]) => `\t${mod} => ${mod} ${v}`);
  return `module weaver.local/gobin-wrapper\n\ngo 1.26.0\n\nrequire ${root} ${version}\n\nreplace (\n${lines.join('\n')}\n)\n`;
}

/** k8s.io/kubernetes vX.Y.Z replaces each of these staging modules with ./staging; they are published as v0.Y.Z. */
const K8S_STAGING = [
  'api', 'apiextensions-apiserver', 'apimachinery', 'apiserver', 'cli-runtime', 'client-go',
  'cloud-provider', 'cluster-bootstrap', 'code-generator', 'component-base', 'component-helpers',
  'controller-manager', 'cri-api', 'cri-client', 'cri-streaming', 'csi-translation-lib',
  'dynamic-resource-allocation', 'endpointslice', 'externaljwt', 'kms', 'kube-aggregator',
  'kube-controller-manager', 'kube-proxy', 'kube-scheduler', 'kubectl', 'kubelet', 'metrics',
  'mount-utils', 'pod-security-admission', 'sample-apiserver', 'sample-cli-plugin',
  'sample-controller', 'streaming',
];
/** One Kubernetes release for the API server the operator is tested on and the schemas the chart is validated against. */
export const K8S_VERSION = 'v1.37.2';
const K8S_STAGING_VERSION = 'v0.37.2';

const ETCD_VERSION = 'v3.6.16';
const ETCD_SIBLINGS = ['api/v3', 'client/pkg/v3', 'client/v3', 'pkg/v3'];

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
  // The operator's int-spec (apps/operator) runs its reconcile loop against a real API server.
  'kube-apiserver': {
    name: 'kube-apiserver',
    pkg: 'k8s.io/kubernetes/cmd/kube-apiserver',
    version: K8S_VERSION,
    wrapper: wrapperGoMod(
      'k8s.io/kubernetes',
      K8S_VERSION,
      Object.fromEntries(K8S_STAGING.map((m) => [`k8s.io/${m}`, K8S_STAGING_VERSION])),
    ),
    ldflags: `-X k8s.io/component-base/version.gitVersion=${K8S_VERSION} -X k8s.io/client-go/pkg/version.gitVersion=${K8S_VERSION}`,
  },
  // kube-apiserver's storage; the server module's main package builds a binary named `server`.
  etcd: {
    name: 'etcd',
    pkg: 'go.etcd.io/etcd/server/v3',
    version: ETCD_VERSION,
    binary: 'server',
    wrapper: wrapperGoMod(
      'go.etcd.io/etcd/server/v3',
      ETCD_VERSION,
      Object.fromEntries(ETCD_SIBLINGS.map((m) => [`go.etcd.io/etcd/${m}`, ETCD_VERSION])),
    ),
  },
} as const satisfies Record<string, GoTool>;

export type GoToolName = keyof typeof GO_TOOLS;
