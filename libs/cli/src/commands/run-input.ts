import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { usageError } from '../cli-error';

export interface RunInputFlags {
  input?: string;
  inputFile?: string;
}

const QUOTE_HINT = `quote the JSON for your shell, e.g. --input '{"topic": "AI safety"}'`;

/** The run input from `--input '<json>'` or `--input-file f.json` (at most one); `{}` if neither. */
export function readRunInput(flags: RunInputFlags, cwd: string): unknown {
  if (flags.input !== undefined && flags.inputFile !== undefined) {
    throw usageError('--input/--input-file', 'give one of them, not both');
  }
  if (flags.input !== undefined) return parseJson('--input', flags.input, QUOTE_HINT);
  if (flags.inputFile !== undefined) {
    const path = resolve(cwd, flags.inputFile);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw usageError('--input-file', `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    return parseJson('--input-file', text, `fix the JSON in ${path}`);
  }
  return {};
}

function parseJson(field: string, text: string, hint: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw usageError(field, `must be valid JSON (${(err as Error).message})`, hint);
  }
}
