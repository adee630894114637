/**
 * tools/kube — a real Kubernetes API server (etcd + kube-apiserver from the Go module proxy)
 * for integration tests of code that talks to Kubernetes (the operator), and KEDA's CRDs.
 */
export * from './kube-apiserver';
export * from './keda-crds';
export { portFromEnv } from './processes';
