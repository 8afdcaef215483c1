import { randomBytes } from 'node:crypto';

export interface Session {
  id: string;
  /** Sent back by the page in `x-strangler-csrf` on state-changing calls. */
  csrf: string;
  expiresAt: number;
}

export interface SessionStoreOptions {
  ttlMs?: number;
  /** Oldest sessions are dropped past this many, so a login loop cannot grow memory. */
  maxSessions?: number;
  now?: () => number;
}

const randomId = () => randomBytes(32).toString('base64url');

/** Dashboard sessions in memory: a proxy restart logs everyone out, which is fine for an ops page. */
export function createSessionStore(options: SessionStoreOptions = {}) {
  const ttlMs = options.ttlMs ?? 8 * 60 * 60 * 1000;
  const maxSessions = options.maxSessions ?? 1000;
  const now = options.now ?? Date.now;
  // A Map keeps insertion order: the first key is the oldest session.
  const sessions = new Map<string, Session>();

  function sweep(): void {
    const time = now();
    for (const [id, session] of sessions) if (session.expiresAt <= time) sessions.delete(id);
    while (sessions.size >= maxSessions) sessions.delete(sessions.keys().next().value as string);
  }

  return {
    ttlMs,
    create(): Session {
      sweep();
      const session = { id: randomId(), csrf: randomId(), expiresAt: now() + ttlMs };
      sessions.set(session.id, session);
      return session;
    },
    find(id: string | undefined): Session | undefined {
      if (!id) return undefined;
      const session = sessions.get(id);
      if (session && session.expiresAt <= now()) {
        sessions.delete(id);
        return undefined;
      }
      return session;
    },
    destroy(id: string | undefined): void {
      if (id) sessions.delete(id);
    },
    get size(): number {
      return sessions.size;
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
