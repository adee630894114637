/** A place in policy text, 1-based like editors show it. */
export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Line and column of a Cedar source offset. Cedar (Rust) reports UTF-8 byte offsets; the
 * column counts characters, so text with non-ASCII names still points at the right place.
 */
export function positionAt(text: string, byteOffset: number): SourcePosition {
  const before = Buffer.from(text, 'utf8').subarray(0, Math.max(0, byteOffset)).toString('utf8');
  const lines = before.split('\n');
  return { line: lines.length, column: [...(lines[lines.length - 1] ?? '')].length + 1 };
}
