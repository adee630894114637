import type { Run, RunEvent } from '../gateway/gateway-api';
import { isTerminal } from '../gateway/gateway-api';
import { formatDuration, formatTime } from './duration';
import type { Style } from './style';
import { formatTable } from './table';

/** Wall time of a run: until its last update if it ended, else until now. */
export function runDuration(run: Run, now = Date.now()): number {
  const end = isTerminal(run.status) ? Date.parse(run.updatedAt) : now;
  return end - Date.parse(run.createdAt);
}

/** `weaver runs`: newest first, one line per run. */
export function formatRunsTable(runs: Run[], style: Style, now = Date.now()): string {
  if (!runs.length) return 'no runs yet: start one with `weaver run <workflow> --input \'{...}\'`\n';
  return formatTable(
    ['RUN', 'WORKFLOW', 'STATUS', 'CREATED', 'DURATION'],
    runs.map((r) => [r.runId, r.workflow, style.status(r.status), formatTime(r.createdAt), formatDuration(runDuration(r, now))]),
  );
}

/** `weaver logs <run>`: the run's header and its timeline, one line per step. */
export function formatTimeline(run: Run, style: Style, now = Date.now()): string {
  const head = [
    `${style.bold('run')} ${run.runId}`,
    `${style.bold('workflow')} ${run.workflow}`,
    `${style.bold('status')} ${style.status(run.status)} after ${formatDuration(runDuration(run, now))} (started ${formatTime(run.createdAt)})`,
  ];
  if (run.status === 'failed') head.push(`${style.bold('error')} ${style.red(failureText(run))}`);
  const steps = run.steps ?? [];
  const table = steps.length
    ? formatTable(
        ['STEP', 'AGENT', 'STATUS', 'ATTEMPT', 'STARTED', 'DURATION'],
        steps.map((s) => [s.step, s.agent, style.status(s.status), String(s.attempt), formatTime(s.startedAt), formatDuration(s.durationMs)]),
      )
    : style.dim('no steps recorded yet\n');
  return `${head.join('\n')}\n\n${table}`;
}

export function failureText(run: Run): string {
  return `${run.failedStep ? `step ${run.failedStep} failed: ` : ''}${run.error ?? 'unknown error'}`;
}

/** The final result: a string as it is, anything else as indented JSON. */
export function formatResult(result: unknown): string {
  const text = typeof result === 'string' ? result : JSON.stringify(result ?? null, null, 2);
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** One event as a log line (`weaver logs --follow`, and `weaver run` when not on a terminal). */
export function formatEventLine(event: RunEvent, style: Style): string {
  const time = style.dim(formatTime(event.time).slice(11) || '--:--:--');
  const who = event.step ? ` ${event.step}${event.agent && event.agent !== event.step ? ` (${event.agent})` : ''}` : '';
  switch (event.kind) {
    case 'snapshot':
      return `${time} snapshot: ${event.run ? `${style.status(event.run.status)}, ${(event.run.steps ?? []).length} step(s) so far` : 'no state yet'}\n`;
    case 'step.delta':
      // Streamed model text while the step runs (`weaver logs --follow`), one line per coalesced delta.
      return `${time} ${style.dim('…')}${who}: ${JSON.stringify(event.delta ?? '')}\n`;
    case 'step.completed':
      return `${time} ${style.green('✓')}${who} completed${event.durationMs === undefined ? '' : ` in ${formatDuration(event.durationMs)}`}\n`;
    case 'step.failed':
      return `${time} ${style.red('✗')}${who} failed${event.error ? `: ${event.error}` : ''}\n`;
    case 'run.completed':
      return `${time} run ${style.green('completed')}\n`;
    case 'run.failed':
      return `${time} run ${style.red('failed')}${who ? ` at${who}` : ''}${event.error ? `: ${event.error}` : ''}\n`;
    default:
      return `${time} ${event.kind}${who}\n`;
  }
}
