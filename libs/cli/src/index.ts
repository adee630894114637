/**
 * @weaver/cli — the `weaver` command for a person at a terminal (bin/weaver runs main.ts).
 *
 *   weaver init my-agents                 scaffold an agent project (templates/agent-project)
 *   weaver dev                            the local stack, with the project's workflows
 *   weaver run <workflow> --input '{..}'  start a run, show live progress, print the result
 *   weaver runs | logs <run> [--follow] | agents
 *
 * Every command takes `--json` (one JSON object, or NDJSON for streams, and nothing else on
 * stdout), `--url`/`WEAVER_URL`, `--api-key`/`WEAVER_API_KEY` (else .weaver/credentials.json).
 * Exit codes: 0 ok, 1 failed run or error, 2 usage, 130 interrupted. `runCli(argv, io)` runs
 * it in-process (tests); `GatewayApi` is the part of the gateway's REST API the commands use.
 */
export { runCli, buildProgram, type CliDependencies } from './cli-program';
export { EXIT, CliError, type ExitCode } from './cli-error';
export { processIo, type CliIo, type OutputStream } from './cli-io';
export { resolveGateway, resolveOutput, DEFAULT_GATEWAY_URL, type GatewayConfig, type OutputConfig, type GlobalFlags } from './config/cli-config';
export type { GatewayApi, Run, RunEvent, RunStep, AgentSummary, StartRunRequest } from './gateway/gateway-api';
export { SdkGateway } from './gateway/sdk-gateway';
