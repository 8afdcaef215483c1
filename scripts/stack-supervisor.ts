import type { ChildProcess } from 'node:child_process';

export interface Backoff {
  /** First pause before a restart; doubled for each crash in a row. */
  initialMs: number;
  maxMs: number;
  /** A member that stayed up this long starts again from initialMs. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 1000, maxMs: 30_000, resetAfterMs: 60_000 };

interface Supervised<M> {
  member: M;
  child: ChildProcess;
  startedAt: number;
  crashes: number;
  timer?: NodeJS.Timeout;
}

/** One process of the demo stack, as `npm start` runs and watches it. */
export interface StackMember {
  name: string;
  script: string;
  args?: string[];
  env: Record<string, string>;
  /** Where it serves; members without one (workers) are only watched. */
  url?: string;
  /** Answers 200 once the member is ready. */
  healthUrl?: string;
  /** Extra lines printed once the member is up (e.g. an admin URL). */
  notes?: string[];
}

/**
 * Keeps the stack's members running: a member that exits on its own is
 * started again after a pause that doubles with each crash in a row, and
 * the others keep serving meanwhile. Before `superviseFromNowOn` (while the
 * stack starts) an exit is reported to `onStartupExit` instead: a member that
 * cannot start is a configuration problem, not a crash.
 */
export class StackSupervisor<M extends { name: string }> {
  private readonly members = new Map<string, Supervised<M>>();
  private supervising = false;
  private stopping = false;

  constructor(
    private readonly options: {
      spawn: (member: M) => ChildProcess;
      log: (line: string) => void;
      onStartupExit: (member: M, how: string) => void;
      /** Called once a restarted member is running again (e.g. to wait for its health check). */
      onRestart?: (member: M, child: ChildProcess) => void;
      backoff?: Backoff;
      now?: () => number;
    },
  ) {}

  private get backoff(): Backoff {
    return this.options.backoff ?? DEFAULT_BACKOFF;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  start(member: M): ChildProcess {
    const previous = this.members.get(member.name);
    const child = this.options.spawn(member);
    const entry: Supervised<M> = {
      member,
      child,
      startedAt: this.now(),
      crashes: previous?.crashes ?? 0,
    };
    this.members.set(member.name, entry);
    child.on('exit', (code, signal) => this.exited(entry, signal ?? `exit ${code}`));
    return child;
  }

  child(name: string): ChildProcess | undefined {
    return this.members.get(name)?.child;
  }

  superviseFromNowOn(): void {
    this.supervising = true;
  }

  private exited(entry: Supervised<M>, how: string): void {
    if (this.stopping || this.members.get(entry.member.name) !== entry) return;
    if (!this.supervising) {
      this.options.onStartupExit(entry.member, how);
      return;
    }
    const upFor = this.now() - entry.startedAt;
    entry.crashes = upFor >= this.backoff.resetAfterMs ? 1 : entry.crashes + 1;
    const delay = Math.min(this.backoff.initialMs * 2 ** (entry.crashes - 1), this.backoff.maxMs);
    this.options.log(
      `${entry.member.name} stopped unexpectedly (${how}) after ${(upFor / 1000).toFixed(1)}s; ` +
        `restarting it in ${(delay / 1000).toFixed(1)}s (crash ${entry.crashes} in a row); the rest of the stack keeps serving`,
    );
    entry.timer = setTimeout(() => {
      if (this.stopping) return;
      const child = this.start(entry.member);
      this.options.log(`${entry.member.name} restarted (pid ${child.pid})`);
      this.options.onRestart?.(entry.member, child);
    }, delay);
  }

  /** Stops every member: SIGTERM, then SIGKILL after `graceMs`; pending restarts are cancelled. */
  stop(graceMs = 5000): Promise<void> {
    this.stopping = true;
    const exits = [...this.members.values()].map((entry) => {
      clearTimeout(entry.timer);
      const { child } = entry;
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      });
    });
    return Promise.all(exits).then(() => undefined);
  }
}
