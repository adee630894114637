/**
 * The life of one MCP server connection, as a transition table (checked on every move):
 *
 *   idle → connecting → ready → failed → connecting …   (a failed server is reconnected by
 *   the next call, through its breaker: an open breaker refuses before any attempt)
 *   any → closed                                          (the runner stops; terminal)
 */
export type ConnectionState = 'idle' | 'connecting' | 'ready' | 'failed' | 'closed';

export const CONNECTION_TRANSITIONS: Readonly<Record<ConnectionState, readonly ConnectionState[]>> = {
  idle: ['connecting', 'closed'],
  connecting: ['ready', 'failed', 'closed'],
  ready: ['failed', 'closed'],
  failed: ['connecting', 'closed'],
  closed: [],
};

export function nextConnectionState(from: ConnectionState, to: ConnectionState, server: string): ConnectionState {
  if (!CONNECTION_TRANSITIONS[from].includes(to)) throw new Error(`MCP server "${server}": illegal connection transition ${from} → ${to}`);
  return to;
}
