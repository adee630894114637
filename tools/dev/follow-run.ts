/**
 * Starts a run over the gateway's REST API and prints its progress from the SSE stream, for a
 * person watching `npm run dev`. Returns the final result.
 */
export async function followRunOverSse(gatewayUrl: string, apiKey: string, workflow: string, input: unknown, say: (line: string) => void): Promise<unknown> {
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const res = await fetch(`${gatewayUrl}/v1/runs`, { method: 'POST', headers, body: JSON.stringify({ workflow, input }) });
  if (res.status !== 202) throw new Error(`starting the run failed: ${res.status} ${await res.text()}`);
  const { run } = (await res.json()) as { run: { runId: string } };
  say(`run ${run.runId} started`);
  const stream = await fetch(`${gatewayUrl}/v1/runs/${run.runId}/events`, { headers });
  if (!stream.body) throw new Error('the gateway sent no event stream');
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame.split('\n').find((l) => l.startsWith('data: '));
      if (!data) continue;
      const event = JSON.parse(data.slice(6)) as { kind: string; step?: string; durationMs?: number; error?: string; run?: { status: string; result: unknown; error: string | null } };
      if (event.kind === 'step.completed') say(`✓ ${event.step} (${event.durationMs} ms)`);
      if (event.kind === 'step.failed') say(`✗ ${event.step}: ${event.error}`);
      const status = event.run?.status;
      if (status === 'completed') return event.run?.result;
      if (status === 'failed') throw new Error(`the run failed: ${event.run?.error}`);
    }
  }
  throw new Error('the event stream ended before the run did');
}
