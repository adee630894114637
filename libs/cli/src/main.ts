/**
 * The `weaver` executable (started by bin/weaver). Ctrl-C aborts what the command is waiting
 * for, so it can say how to resume; a second Ctrl-C exits at once.
 */
import { processIo } from './cli-io';
import { runCli } from './cli-program';

const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort();
});

void runCli(process.argv, processIo(interrupt.signal)).then((code) => {
  process.exitCode = code;
  // Open handles (a half-read stream after Ctrl-C) must not keep the process alive.
  if (interrupt.signal.aborted) process.exit(code);
});
