import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Files under `dir` whose bytes contain `needle`: the canary scans (a server's data directory,
 * log segments, dumps) look for plaintext this way. Files that vanish or cannot be read while
 * the walk runs (a rolled segment, a socket) are skipped: they hold no data to find.
 */
export function filesContaining(dir: string, needle: Buffer): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      let st;
      try {
        st = statSync(path);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(path);
      else if (st.isFile() && st.size > 0) {
        try {
          if (readFileSync(path).includes(needle)) found.push(path);
        } catch {
          // removed or not readable as a file: not data
        }
      }
    }
  };
  walk(dir);
  return found;
}
