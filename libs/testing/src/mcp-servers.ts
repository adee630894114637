import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';

/** The reference MCP servers from npm, run with this node (no npx, no network). */
export const FILESYSTEM_SERVER = join(dirname(require.resolve('@modelcontextprotocol/server-filesystem/package.json')), 'dist', 'index.js');
export const EVERYTHING_SERVER = join(dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist', 'index.js');

/**
 * server-everything in its streamable HTTP mode (`streamableHttp`, port from `PORT`, path
 * `/mcp`), resolved once it says it listens; the child is killed by `stop`.
 */
export async function startEverythingHttp(port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [EVERYTHING_SERVER, 'streamableHttp'], { env: { PATH: process.env['PATH'] ?? '', PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('utf8');
      if (seen.includes(`listening on port ${port}`)) resolve();
      if (seen.includes('Failed to start')) reject(new Error(`server-everything (HTTP) did not start: ${seen.trim()}`));
    };
    child.stderr!.on('data', onData);
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server-everything (HTTP) exited with ${code}: ${seen.trim()}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
