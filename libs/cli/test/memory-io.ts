import type { CliIo, OutputStream } from '../src/cli-io';

/** A CliIo that records what the CLI writes (unit tests run the CLI in-process with it). */
export interface MemoryStream extends OutputStream {
  readonly text: () => string;
}

export function memoryStream(isTTY = false, columns = 80): MemoryStream {
  const chunks: string[] = [];
  return { isTTY, columns, write: (s: string) => chunks.push(s), text: () => chunks.join('') };
}

export function memoryIo(options: { env?: Record<string, string | undefined>; cwd?: string; tty?: boolean; signal?: AbortSignal } = {}): CliIo & { stdout: MemoryStream; stderr: MemoryStream } {
  return {
    stdout: memoryStream(options.tty),
    stderr: memoryStream(options.tty),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    signal: options.signal,
  };
}
