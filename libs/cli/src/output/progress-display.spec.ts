import { memoryStream } from '../../test/memory-io';
import type { RunEvent } from '../gateway/gateway-api';
import { createProgressDisplay } from './progress-display';
import { createStyle } from './style';

const at = '2025-03-01T10:00:00.000Z';
const snapshot: RunEvent = {
  kind: 'snapshot', runId: 'r', time: at,
  run: { runId: 'r', tenantId: 't', workflow: 'w', status: 'running', input: {}, result: null, error: null, failedStep: null, subjectId: null, classification: [], createdAt: at, updatedAt: at, steps: [{ step: 'researcher', agent: 'researcher', status: 'completed', attempt: 1, startedAt: at, finishedAt: at, durationMs: 1200 }] },
};
const events: RunEvent[] = [
  snapshot,
  { kind: 'step.completed', runId: 'r', step: 'researcher', agent: 'researcher', durationMs: 1200, time: at }, // already in the snapshot
  { kind: 'step.completed', runId: 'r', step: 'writer', agent: 'writer', durationMs: 2500, time: at },
  { kind: 'step.failed', runId: 'r', step: 'reviewer', agent: 'reviewer', error: 'boom', time: at },
];

describe('createProgressDisplay', () => {
  it('writes plain lines, once per step, with no control characters when not on a terminal', () => {
    const out = memoryStream(false);
    const display = createProgressDisplay(out, createStyle(false), 'w r');
    events.forEach((e) => display.event(e));
    display.stop();
    const lines = out.text().trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/✓ researcher completed in 1\.2s$/);
    expect(lines[1]).toMatch(/✓ writer completed in 2\.5s$/);
    expect(lines[2]).toMatch(/✗ reviewer failed: boom$/);
    expect(out.text()).not.toMatch(/[\r\x1b]/);
  });

  it('redraws a status line with the elapsed time on a terminal and clears it when stopped', () => {
    const out = memoryStream(true, 60);
    let now = 1_000;
    const display = createProgressDisplay(out, createStyle(false), 'content-pipeline 0b6f7c1e', () => now, 60_000);
    now += 3_400;
    events.forEach((e) => display.event(e));
    display.stop();
    const text = out.text();
    expect(text).toContain('\r\x1b[2K');
    expect(text).toContain('content-pipeline 0b6f7c1e · 2 steps done · 3.4s');
    // Finished steps are permanent lines; the status line is only ever redrawn in place.
    const permanent = text.split('\n').slice(0, -1).map((l) => l.slice(l.lastIndexOf('\x1b[2K') + 4));
    expect(permanent).toEqual(['  ✓ researcher  1.2s', '  ✓ writer  2.5s', '  ✗ reviewer  boom']);
    expect(text.endsWith('\r\x1b[2K')).toBe(true);
    expect(text.split('\r').every((segment) => segment.replace(/\x1b\[2K/, '').split('\n').every((l) => l.length <= 59))).toBe(true);
  });
});
