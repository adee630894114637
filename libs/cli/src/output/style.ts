/** ANSI styling that turns itself off (NO_COLOR, --no-color, --json, not a terminal). */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  /** Colour for a run/step/instance status word. */
  status(status: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;

export function createStyle(enabled: boolean): Style {
  const id = (text: string) => text;
  const s = {
    bold: enabled ? wrap(1, 22) : id,
    dim: enabled ? wrap(2, 22) : id,
    red: enabled ? wrap(31, 39) : id,
    green: enabled ? wrap(32, 39) : id,
    yellow: enabled ? wrap(33, 39) : id,
    cyan: enabled ? wrap(36, 39) : id,
  };
  const status = (value: string): string => {
    if (['completed', 'healthy'].includes(value)) return s.green(value);
    if (['failed', 'dead', 'unhealthy'].includes(value)) return s.red(value);
    if (['running', 'pending', 'draining', 'skipped'].includes(value)) return s.yellow(value);
    return value;
  };
  return { enabled, ...s, status };
}

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/** Printed width of a string, ignoring ANSI escapes. */
export const visibleLength = (text: string): number => text.replace(ANSI, '').length;
