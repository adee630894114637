import type { AgentSummary, Run } from '../gateway/gateway-api';
import { formatAgentsTable } from './agent-view';
import { formatDuration } from './duration';
import { formatEventLine, formatResult, formatRunsTable, formatTimeline } from './run-view';
import { createStyle, visibleLength } from './style';
import { formatTable } from './table';

const plain = createStyle(false);
const colour = createStyle(true);

const run = (over: Partial<Run> = {}): Run => ({
  runId: '0b6f7c1e-8a51-4c43-9d0e-2a1d6f1f3c10',
  tenantId: 't',
  workflow: 'content-pipeline',
  status: 'completed',
  input: { topic: 'AI' },
  result: { approved: true },
  error: null,
  failedStep: null,
  subjectId: null,
  classification: [],
  createdAt: '2025-03-01T10:00:00.000Z',
  updatedAt: '2025-03-01T10:00:03.400Z',
  steps: [
    { step: 'researcher', agent: 'researcher', status: 'completed', attempt: 1, startedAt: '2025-03-01T10:00:00.100Z', finishedAt: '2025-03-01T10:00:01.300Z', durationMs: 1200 },
    { step: 'writer', agent: 'writer', status: 'completed', attempt: 2, startedAt: '2025-03-01T10:00:01.400Z', finishedAt: '2025-03-01T10:00:03.300Z', durationMs: 1900 },
  ],
  ...over,
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [420, '420ms'],
    [3400, '3.4s'],
    [125_000, '2m 05s'],
    [3_720_000, '1h 02m'],
    [-1, '-'],
  ])('%d ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('formatTable', () => {
  it('aligns columns by visible width, colour codes ignored, no trailing spaces', () => {
    const text = formatTable(['A', 'STATUS', 'Z'], [['x', colour.green('completed'), '1'], ['long-name', 'ok', '']]);
    const lines = text.trimEnd().split('\n');
    expect(lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''))).toEqual(['A          STATUS     Z', 'x          completed  1', 'long-name  ok']);
    expect(lines.every((l) => !/ $/.test(l))).toBe(true);
    expect(visibleLength(lines[1]!)).toBe(lines[0]!.length);
  });
});

describe('run views', () => {
  it('shows a timeline with every step, agent, status, attempt and duration', () => {
    const text = formatTimeline(run(), plain);
    expect(text).toContain('status completed after 3.4s');
    expect(text).toMatch(/STEP\s+AGENT\s+STATUS\s+ATTEMPT\s+STARTED\s+DURATION/);
    expect(text).toMatch(/researcher\s+researcher\s+completed\s+1\s+\S+ \S+\s+1\.2s/);
    expect(text).toMatch(/writer\s+writer\s+completed\s+2\s+\S+ \S+\s+1\.9s/);
  });

  it('names the failed step and its error', () => {
    const text = formatTimeline(run({ status: 'failed', failedStep: 'writer', error: 'model timed out' }), plain);
    expect(text).toContain('error step writer failed: model timed out');
  });

  it('lists runs, or says how to start one', () => {
    expect(formatRunsTable([run()], plain)).toMatch(/RUN\s+WORKFLOW\s+STATUS\s+CREATED\s+DURATION\n0b6f7c1e-\S+\s+content-pipeline\s+completed\s+\S+ \S+\s+3\.4s\n/);
    expect(formatRunsTable([], plain)).toMatch(/no runs yet/);
  });

  it('prints a string result as it is and anything else as indented JSON', () => {
    expect(formatResult('hello')).toBe('hello\n');
    expect(formatResult({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}\n');
    expect(formatResult(undefined)).toBe('null\n');
  });

  it('writes event lines without colour codes when colour is off', () => {
    const line = formatEventLine({ kind: 'step.failed', runId: 'r', step: 'writer', agent: 'writer-v2', error: 'boom', time: '2025-03-01T10:00:00Z' }, plain);
    expect(line).toMatch(/^\d\d:\d\d:\d\d ✗ writer \(writer-v2\) failed: boom\n$/);
    expect(line).not.toMatch(/\x1b/);
  });

  it('shows a streamed delta as the text it carries', () => {
    const line = formatEventLine({ kind: 'step.delta', runId: 'r', step: 'writer', delta: 'Kafka orders\nrecords', time: '2025-03-01T10:00:00Z' }, plain);
    expect(line).toMatch(/^\d\d:\d\d:\d\d … writer: "Kafka orders\\nrecords"\n$/);
  });
});

describe('formatAgentsTable', () => {
  const agent = (name: string, health: string[]): AgentSummary => ({
    name, version: '1.0.0', description: '', capabilities: ['write'], requires: ['a.b'], publishes: ['c.d'],
    instances: health.map((h, i) => ({ instanceId: `i${i}`, health: h, host: 'h', inFlight: 0 })),
    healthyInstances: health.filter((h) => h === 'healthy').length,
  });

  it('shows healthy of all instances and the mix of states', () => {
    const text = formatAgentsTable([agent('writer', ['healthy', 'healthy']), agent('reviewer', ['healthy', 'draining']), agent('idle', [])], plain);
    expect(text).toMatch(/NAME\s+VERSION\s+CAPABILITIES\s+CONSUMES\s+INSTANCES\s+HEALTH/);
    expect(text).toMatch(/writer\s+1\.0\.0\s+write\s+a\.b\s+2\/2 healthy\s+healthy\n/);
    expect(text).toMatch(/reviewer\s+.*1\/2 healthy\s+1 healthy, 1 draining\n/);
    expect(text).toMatch(/idle\s+.*0\/0 healthy\s+no instances\n/);
  });

  it('says what to check when no agent is registered', () => {
    expect(formatAgentsTable([], plain)).toMatch(/no agents registered: is `weaver dev` running/);
  });
});
