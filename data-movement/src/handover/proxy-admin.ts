import { DataMovementError } from '../errors';

export interface HoldView {
  holdId: string;
  since: string;
  queued: number;
  expiresAt: string;
}

export interface DataSetView {
  set: string;
  owner: string;
  writeRoutes: string[];
  hold: HoldView | null;
}

/** The proxy's data-set endpoints of its admin API (Bearer token). */
export interface ProxyAdmin {
  readonly url: string;
  describe(set: string): Promise<DataSetView>;
  hold(set: string, limits: { maxMs: number; maxQueued: number }): Promise<{ holdId: string }>;
  /** Releases the queued writes; false when the hold is no longer the current one (expired). */
  release(set: string, holdId: string): Promise<boolean>;
  /** Changes the owner (the proxy writes its routes file); a refusal (HTTP 409) comes back with its reason. */
  setOwner(
    set: string,
    owner: string,
    holdId: string,
  ): Promise<{ ok: true } | { ok: false; reason: string }>;
}

/** Where the admin API is: --admin-url, else STRANGLER_ADMIN_URL, else the proxy's default admin port. */
export function adminUrlFrom(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return (
    flag ??
    env.STRANGLER_ADMIN_URL ??
    `http://127.0.0.1:${env.PROXY_ADMIN_PORT || '8081'}`
  ).replace(/\/+$/, '');
}

export function createProxyAdmin(url: string, token: string | undefined): ProxyAdmin {
  if (!token)
    throw new DataMovementError(
      'ERR_DATA_ADMIN_TOKEN',
      "a handover changes the proxy: set STRANGLER_ADMIN_TOKEN to the proxy's admin token (npm start prints it)",
    );
  const call = async (method: string, path: string, body?: unknown, timeoutMs = 10_000) => {
    let response: Response;
    try {
      response = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new DataMovementError(
        'ERR_DATA_PROXY_UNREACHABLE',
        `the proxy's admin API at ${url} does not answer (${(error as Error).cause ?? (error as Error).message}): start the proxy, or point --admin-url / STRANGLER_ADMIN_URL at its admin port. Nothing was changed.`,
      );
    }
    const text = await response.text();
    const parsed = text ? safeJson(text) : null;
    if (response.status === 401 || response.status === 403)
      throw new DataMovementError(
        'ERR_DATA_ADMIN_TOKEN',
        `the proxy at ${url} refused the admin token (HTTP ${response.status}): set STRANGLER_ADMIN_TOKEN to the token the proxy was started with. Nothing was changed.`,
      );
    return { status: response.status, body: parsed };
  };
  const refused = (what: string, status: number, body: unknown) =>
    new DataMovementError(
      'ERR_DATA_PROXY_REFUSED',
      `the proxy refused to ${what} (HTTP ${status}): ${messageOf(body)}`,
    );
  return {
    url,
    async describe(set) {
      const { status, body } = await call('GET', '/admin/data-sets');
      if (status === 404)
        throw refused(
          'list data sets (this proxy has no data-set endpoints: update it)',
          status,
          body,
        );
      if (status !== 200) throw refused('list data sets', status, body);
      const found = (body as DataSetView[]).find((s) => s.set === set);
      if (!found)
        throw new DataMovementError(
          'ERR_DATA_PROXY_REFUSED',
          `the proxy's routes file names no data set "${set}": add dataSets: { ${set}: { owner: <current owner> } } and writes: ${set} on the routes that write it, then re-run`,
        );
      return found;
    },
    async hold(set, limits) {
      // The proxy answers once the hold is in force: after the writes already forwarded to the
      // old owner are answered, which it waits for up to half of maxMs.
      const { status, body } = await call(
        'POST',
        `/admin/data-sets/${encodeURIComponent(set)}/hold`,
        limits,
        Math.max(10_000, limits.maxMs / 2 + 5_000),
      );
      if (status !== 200 && status !== 201)
        throw refused(`hold the writes of ${set}`, status, body);
      return { holdId: String((body as { holdId: unknown }).holdId) };
    },
    async release(set, holdId) {
      const { status, body } = await call(
        'DELETE',
        `/admin/data-sets/${encodeURIComponent(set)}/hold`,
        { holdId },
      );
      if (status === 409 || status === 404) return false;
      if (status >= 300) throw refused(`release the writes of ${set}`, status, body);
      return true;
    },
    async setOwner(set, owner, holdId) {
      const { status, body } = await call(
        'PUT',
        `/admin/data-sets/${encodeURIComponent(set)}/owner`,
        { owner, holdId },
      );
      if (status === 409) return { ok: false, reason: messageOf(body) };
      if (status >= 300) throw refused(`make ${owner} the owner of ${set}`, status, body);
      return { ok: true };
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function messageOf(body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as { message?: unknown; error?: unknown };
    const m =
      b.message ??
      (typeof b.error === 'object' ? (b.error as { message?: unknown })?.message : b.error);
    if (m) return String(m);
  }
  return typeof body === 'string' ? body : JSON.stringify(body);
}
