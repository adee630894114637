/**
 * The local Kafka broker (tools/kafka) for stacks that need their own — e.g. a fault test that
 * SIGKILLs its broker and so must not share the test run's.
 */
// eslint-disable-next-line @nx/enforce-module-boundaries -- tools/kafka is a dev tool, not an Nx project (as in the global setup)
export { startBroker, type RunningBroker, type StartOptions } from '../../kafka/src/broker';
