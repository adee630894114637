/**
 * Puts tokens back in a stream of text pieces. A provider streams a token in several pieces
 * (`⟦pii:em`, `ail:AAAB…`, `⟧`), so a piece ending in what may still become a token is held
 * until the token is complete or can no longer be one; everything else passes at once.
 * `restore` is the whole-text detokeniser; concatenating what `push` and `end` return gives
 * exactly `restore(all pieces)`.
 */
const OPEN = '⟦';
// A prefix of ⟦pii:<type>:<base64url>⟧ without its closing bracket.
const TOKEN_PREFIX = /^⟦(?:p(?:i(?:i(?::(?:[a-z_]*(?::[A-Za-z0-9_-]*)?)?)?)?)?)?$/;
/** Longer than any token of a value the scanner finds (an address of a few hundred characters). */
const MAX_HELD = 2048;

export class StreamRestorer {
  private held = '';

  constructor(private readonly restore: (text: string) => Promise<string>) {}

  async push(piece: string): Promise<string> {
    const text = this.held + piece;
    const open = text.lastIndexOf(OPEN);
    if (open >= 0 && text.length - open <= MAX_HELD && TOKEN_PREFIX.test(text.slice(open))) {
      this.held = text.slice(open);
      return open > 0 ? this.restore(text.slice(0, open)) : '';
    }
    this.held = '';
    return this.restore(text);
  }

  /** What is still held (an unfinished token-like tail): passed on as it is. */
  async end(): Promise<string> {
    const rest = this.held;
    this.held = '';
    return rest ? this.restore(rest) : '';
  }
}
