import type { OutputStream } from '../cli-io';
import type { RunEvent } from '../gateway/gateway-api';
import { formatDuration } from './duration';
import { formatEventLine } from './run-view';
import type { Style } from './style';

/** Live progress of one run while `weaver run` waits for it. */
export interface ProgressDisplay {
  event(event: RunEvent): void;
  /** Clears the status line and stops redrawing; call once the run ended or waiting stopped. */
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\x1b[2K';

/**
 * On a terminal: one line per finished step, under a status line redrawn in place with a
 * spinner and the elapsed time, so a long run visibly lives. Elsewhere (pipes, CI logs): one
 * plain timestamped line per finished step, no control characters.
 */
export function createProgressDisplay(out: OutputStream, style: Style, label: string, now: () => number = Date.now, redrawMs = 100): ProgressDisplay {
  // Steps are keyed by name and outcome: a snapshot after a reconnect repeats steps already shown.
  const seen = new Set<string>();
  const firstTime = (key: string) => !seen.has(key) && Boolean(seen.add(key));
  if (!out.isTTY) {
    return {
      event: (e) => {
        if (e.kind === 'snapshot') {
          for (const s of e.run?.steps ?? []) {
            if (firstTime(`${s.step}#step.${s.status}`)) out.write(formatEventLine({ kind: s.status === 'failed' ? 'step.failed' : 'step.completed', runId: e.runId, step: s.step, agent: s.agent, durationMs: s.durationMs, time: s.finishedAt || e.time }, style));
          }
          return;
        }
        // Run-level events are left out: the command itself says how the run started and ended.
        // Streamed LLM text (step.delta) is not a step outcome: the line per finished step stays one line.
        if (e.step && e.kind.startsWith('step.') && e.kind !== 'step.delta' && firstTime(`${e.step}#${e.kind}`)) out.write(formatEventLine(e, style));
      },
      stop: () => undefined,
    };
  }
  const started = now();
  let frame = 0;
  let done = 0;
  let stopped = false;
  const width = () => Math.max(20, (out.columns || 80) - 1); // 0 = unknown (e.g. a pty without a size)
  const statusLine = () => {
    const text = `${FRAMES[frame % FRAMES.length]} ${label} · ${done} step${done === 1 ? '' : 's'} done · ${formatDuration(now() - started)}`;
    return text.length > width() ? `${text.slice(0, width() - 1)}…` : text;
  };
  const redraw = () => {
    if (stopped) return;
    frame += 1;
    out.write(CLEAR_LINE + style.cyan(statusLine()));
  };
  const stepLine = (ok: boolean, name: string, detail: string) => {
    out.write(`${CLEAR_LINE}  ${ok ? style.green('✓') : style.red('✗')} ${name}${detail ? `  ${style.dim(detail)}` : ''}\n`);
  };
  const onStep = (ok: boolean, step: string, agent: string | undefined, detail: string, key: string) => {
    if (!firstTime(key)) return;
    if (ok) done += 1;
    stepLine(ok, agent && agent !== step ? `${step} (${agent})` : step, detail);
  };
  const timer = setInterval(redraw, redrawMs);
  timer.unref();
  redraw();
  return {
    event: (e) => {
      if (e.kind === 'snapshot') {
        for (const s of e.run?.steps ?? []) onStep(s.status !== 'failed', s.step, s.agent, formatDuration(s.durationMs), `${s.step}#step.${s.status}`);
      } else if (e.kind === 'step.completed') {
        onStep(true, e.step ?? '?', e.agent, e.durationMs === undefined ? '' : formatDuration(e.durationMs), `${e.step}#${e.kind}`);
      } else if (e.kind === 'step.failed') {
        onStep(false, e.step ?? '?', e.agent, e.error ?? '', `${e.step}#${e.kind}`);
      }
      redraw();
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      out.write(CLEAR_LINE);
    },
  };
}
