import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

/** The file types the console is made of; anything else in its directory is not served. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface ConsoleAsset {
  readonly body: Buffer;
  readonly contentType: string;
}

/**
 * The web console's static files (apps/gateway/console: HTML, ES modules, CSS), read once at
 * start and kept in memory (a few tens of kB): requests never touch the file system, so no
 * path from a URL ever reaches it. Next to the gateway's source in the checkout and, with the
 * same layout, in the production tree (tools/image ASSETS).
 */
export class ConsoleAssets {
  private readonly files = new Map<string, ConsoleAsset>();

  constructor(readonly root: string) {
    for (const file of walk(root)) {
      const contentType = CONTENT_TYPES[extname(file)];
      if (contentType) this.files.set(relative(root, file).split(sep).join('/'), { body: readFileSync(file), contentType });
    }
  }

  /** The asset at a path below /console/ ('' is the page); undefined when there is none. */
  get(path: string): ConsoleAsset | undefined {
    return this.files.get(path === '' ? 'index.html' : path);
  }

  get size(): number {
    return this.files.size;
  }
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Where the console's files are: ../console from this file, in the checkout and in the image. */
export const CONSOLE_DIR = join(__dirname, '..', 'console');
