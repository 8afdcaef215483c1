import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { loadRoutesFile, type RoutesFile } from './config';
import { ProxyError } from './errors';
import type { ProxyMetrics } from './metrics';
import { buildRouteTable, type RouteTable } from './route-table';
import {
  type RouteChange,
  type WrittenChange,
  type WrittenOwnerChange,
  writeOwnerChange,
  writeRouteChange,
} from './routes-writer';

export interface ReloadReport {
  ok: boolean;
  at: string;
  reason: string;
  error?: { code: string; message: string };
}

/**
 * Holds the live route table. A reload builds a whole new table and swaps one
 * reference, so a request keeps the table it started with; a refused reload
 * leaves the old table serving and is reported.
 */
export class RoutesStore {
  private table: RouteTable;
  private text: string | null = null;
  private watcher: fs.FSWatcher | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private listeners: Array<(table: RouteTable) => void> = [];
  version = 1;
  loadedAt = new Date().toISOString();
  lastReload: ReloadReport = { ok: true, at: this.loadedAt, reason: 'start' };

  constructor(
    readonly file: string | null,
    initial: RoutesFile,
    private readonly logger: Logger,
    private readonly metrics: ProxyMetrics,
  ) {
    this.table = buildRouteTable(initial);
    if (file) this.text = readText(file);
  }

  current(): RouteTable {
    return this.table;
  }

  onApply(listener: (table: RouteTable) => void): void {
    this.listeners.push(listener);
  }

  /** Installs an already-validated configuration. */
  apply(config: RoutesFile, reason: string): void {
    const table = buildRouteTable(config);
    for (const listener of this.listeners) listener(table);
    this.table = table;
    this.version++;
    this.loadedAt = new Date().toISOString();
    this.lastReload = { ok: true, at: this.loadedAt, reason };
    this.metrics.countReload('applied');
    this.logger.info(
      { version: this.version, reason, routes: config.routes.length },
      'routes reloaded',
    );
  }

  /** Re-reads the routes file; never throws. */
  reload(reason: string): ReloadReport {
    if (!this.file)
      return this.refuse(
        reason,
        new ProxyError(
          'ERR_PROXY_CONFIG',
          'this proxy was started without a routes file; nothing to reload',
        ),
      );
    try {
      const text = readText(this.file);
      const config = loadRoutesFile(this.file);
      this.text = text;
      this.apply(config, reason);
      return this.lastReload;
    } catch (error) {
      return this.refuse(reason, error);
    }
  }

  /** Writes a route change to the file (the source of truth), applies it and audits it. */
  change(routeName: string, change: RouteChange, actor: string): WrittenChange {
    if (!this.file)
      throw new ProxyError(
        'ERR_PROXY_CONFIG',
        'this proxy was started without a routes file; changes cannot be saved',
      );
    const written = writeRouteChange(this.file, routeName, change);
    this.text = readText(this.file);
    this.apply(written.config, `change by ${actor}`);
    this.logger.info(
      { audit: true, actor, route: routeName, before: written.before, after: written.after },
      `route ${routeName} changed`,
    );
    return written;
  }

  /** Hands a data set's writes to `owner`: one atomic routes-file write, applied at once, audited. */
  changeOwner(set: string, owner: string, actor: string): WrittenOwnerChange {
    if (!this.file)
      throw new ProxyError(
        'ERR_PROXY_CONFIG',
        'this proxy was started without a routes file; changes cannot be saved',
      );
    const written = writeOwnerChange(this.file, set, owner);
    this.text = readText(this.file);
    this.apply(written.config, `owner of ${set} changed by ${actor}`);
    this.logger.info(
      { audit: true, actor, set, before: written.before, owner, routes: written.routes },
      `data set ${set} now owned by ${owner}`,
    );
    return written;
  }

  /** Reloads when the file changes on disk (watching the folder survives editors that replace the file). */
  watch(debounceMs = 50): void {
    if (!this.file || this.watcher) return;
    const base = path.basename(this.file);
    this.watcher = fs.watch(path.dirname(this.file), (_event, name) => {
      if (name && name !== base) return;
      if (this.debounce) clearTimeout(this.debounce);
      this.debounce = setTimeout(() => this.reloadIfChanged(), debounceMs);
    });
    this.watcher.on('error', (error) =>
      this.logger.error({ err: error }, 'routes file watcher failed; use POST /admin/reload'),
    );
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.debounce) clearTimeout(this.debounce);
  }

  private reloadIfChanged(): void {
    const text = this.file ? readText(this.file) : null;
    if (text !== null && text === this.text) return;
    this.reload('file changed');
  }

  private refuse(reason: string, error: unknown): ReloadReport {
    const err =
      error instanceof ProxyError
        ? error
        : new ProxyError('ERR_ROUTES_FILE_UNREADABLE', String((error as Error)?.message ?? error));
    if (this.file) this.text = readText(this.file);
    this.lastReload = {
      ok: false,
      at: new Date().toISOString(),
      reason,
      error: { code: err.code, message: err.message },
    };
    this.metrics.countReload('refused');
    this.logger.error(
      { reason, code: err.code, problem: err.message },
      'routes reload refused; the previous table keeps serving',
    );
    return this.lastReload;
  }
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
