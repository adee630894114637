import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { loadModelsFile } from './models-file.loader';
import type { ModelsFile } from './models-file.schema';

export interface CatalogWatcherEvents {
  onReload(file: ModelsFile): void;
  /** The new file is invalid: the old config stays in force. */
  onInvalid(err: unknown): void;
}

/**
 * Reloads models.yaml when it changes, without a restart. Watches the directory (editors and
 * ConfigMap mounts replace the file rather than write it in place) and debounces bursts of
 * events into one reload.
 */
export class CatalogWatcher {
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly path: string,
    private readonly events: CatalogWatcherEvents,
    private readonly debounceMs = 150,
  ) {}

  start(): this {
    const name = basename(this.path);
    this.watcher = watch(dirname(this.path), (_event, changed) => {
      if (changed !== null && changed !== name && !String(changed).startsWith('..')) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.reload(), this.debounceMs);
    });
    return this;
  }

  reload(): void {
    let file: ModelsFile;
    try {
      file = loadModelsFile(this.path);
    } catch (err) {
      this.events.onInvalid(err);
      return;
    }
    this.events.onReload(file);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }
}
