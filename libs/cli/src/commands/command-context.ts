import type { CliIo } from '../cli-io';
import { resolveGateway, resolveOutput, type GatewayConfig, type GlobalFlags, type OutputConfig } from '../config/cli-config';
import type { GatewayApi } from '../gateway/gateway-api';
import { SdkGateway } from '../gateway/sdk-gateway';
import { createStyle, type Style } from '../output/style';

/** What every command action gets: output settings, styled writers, and the gateway on demand. */
export interface CommandContext {
  readonly io: CliIo;
  readonly output: OutputConfig;
  /** Styling for stdout (results, tables). */
  readonly style: Style;
  /** Styling for stderr (progress, status); a terminal may show one and not the other. */
  readonly errStyle: Style;
  /** Resolved (and validated) on first use: `init` and `dev` never need it. */
  readonly gateway: GatewayApi;
  /** Writes one JSON value as one line on stdout (the only stdout output under --json). */
  json(value: unknown): void;
  out(text: string): void;
  err(text: string): void;
}

export type GatewayFactory = (config: GatewayConfig, io: CliIo) => GatewayApi;

export const httpGatewayFactory: GatewayFactory = (config, io) =>
  new SdkGateway({ url: config.url, apiKey: config.apiKey, apiKeySource: config.apiKeySource, signal: io.signal });

export function createContext(io: CliIo, flags: GlobalFlags, gatewayFactory: GatewayFactory = httpGatewayFactory): CommandContext {
  const output = resolveOutput(flags, io.env, { stdout: io.stdout.isTTY === true, stderr: io.stderr.isTTY === true });
  let gateway: GatewayApi | undefined;
  return {
    io,
    output,
    style: createStyle(output.color),
    errStyle: createStyle(output.errColor),
    get gateway() {
      gateway ??= gatewayFactory(resolveGateway(flags, io.env, io.cwd), io);
      return gateway;
    },
    json: (value) => void io.stdout.write(`${JSON.stringify(value)}\n`),
    out: (text) => void io.stdout.write(text),
    err: (text) => void io.stderr.write(text),
  };
}
