import fs from 'node:fs';
import path from 'node:path';
import { describeProcess, findPortOwner, isAlive, isPortFree } from './port-owner';

/** Another stack (or another program) holds what this one needs: exit 2 with the message. */
export class StackBusyError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'StackBusyError';
  }
}

export interface StackLock {
  file: string;
  /** Removes the lock if it is still this process's. */
  release(): void;
}

interface LockContent {
  pid: number;
  startedAt: string;
  ports: Record<string, number>;
}

const LOCK_NAME = 'demo-stack.lock';

function readLock(file: string): LockContent | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LockContent;
  } catch {
    return undefined;
  }
}

function describeHolder(pid: number): string {
  const command = describeProcess(pid);
  return command ? `pid ${pid} (${command})` : `pid ${pid}`;
}

/**
 * One demo stack per data folder: the lock is created atomically; a lock whose
 * process is gone (the launcher was killed) is taken over.
 */
export function acquireStackLock(
  dataDir: string,
  ports: Record<string, number>,
  say: (line: string) => void,
): StackLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_NAME);
  const content: LockContent = { pid: process.pid, startedAt: new Date().toISOString(), ports };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { flag: 'wx' });
      return {
        file,
        release() {
          if (readLock(file)?.pid === process.pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readLock(file);
    if (holder && Number.isInteger(holder.pid) && isAlive(holder.pid))
      throw new StackBusyError(
        `a demo stack is already running on ${dataDir}: ${describeHolder(holder.pid)}, started ${holder.startedAt}. ` +
          `Use that one (its URLs and admin token are in its terminal), or stop it (Ctrl-C there, or kill ${holder.pid}) ` +
          'and start again; STRANGLER_DATA_DIR and STRANGLER_DEMO_PORTS run a second copy elsewhere.',
      );
    say(
      `taking over ${file}: it names pid ${holder?.pid ?? '?'}, which is no longer running (a stack that was killed)`,
    );
    fs.rmSync(file, { force: true });
  }
  throw new StackBusyError(`could not create ${file}: another stack is starting at the same time`);
}

/** Every port the stack will listen on must be free; a busy one is named with the process holding it. */
export async function assertPortsFree(ports: Record<string, number>): Promise<void> {
  const busy: string[] = [];
  for (const [name, port] of Object.entries(ports)) {
    if (port === 0 || (await isPortFree(port))) continue;
    const owner = findPortOwner(port);
    busy.push(
      `port ${port} (${name}) is in use by ${owner ? `pid ${owner.pid} (${owner.command})` : 'another process (`ss -ltnp` shows which)'}`,
    );
  }
  if (busy.length > 0)
    throw new StackBusyError(
      `${busy.join('; ')}. Stop it, or move the stack: STRANGLER_DEMO_PORTS=monolith,catalog,finance,proxy,admin and STRANGLER_EVENTS_PORTS=reporting,monitor`,
    );
}

/** Before anything starts (no database touched, no token printed): the lock, then the ports. */
export async function preflightDemoStack(
  dataDir: string,
  ports: Record<string, number>,
  say: (line: string) => void,
): Promise<StackLock> {
  const lock = acquireStackLock(dataDir, ports, say);
  try {
    await assertPortsFree(ports);
  } catch (error) {
    lock.release();
    throw error;
  }
  return lock;
}
