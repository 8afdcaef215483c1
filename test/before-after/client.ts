/** A tiny HTTP client for black-box tests: only the target's URL is known. */
export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** The before/after mode this jest project runs: its name, set as a global in jest.config.js. */
export function modeName(): string {
  return (globalThis as { BEFORE_AFTER_MODE?: string }).BEFORE_AFTER_MODE ?? 'before';
}

/** The mode as an env-var key. */
export function modeKey(): string {
  return modeName().replace(/-/g, '_');
}

export function targetUrl(): string {
  const url = process.env.TARGET_URL ?? process.env[`BEFORE_AFTER_URL_${modeKey()}`];
  if (!url)
    throw new Error(
      `no target: set TARGET_URL, or run through the jest project "${modeName()}" that starts a stack`,
    );
  return url.replace(/\/$/, '');
}

export async function call<T = any>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply<T>> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const res = await fetch(`${targetUrl()}${path}`, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text for the assertion message
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

export const get = <T = any>(path: string, headers?: Record<string, string>) =>
  call<T>('GET', path, undefined, headers);
export const post = <T = any>(path: string, body?: unknown) => call<T>('POST', path, body);
export const patch = <T = any>(path: string, body?: unknown) => call<T>('PATCH', path, body);
export const put = <T = any>(path: string, body?: unknown) => call<T>('PUT', path, body);

/** Asserts the one error shape, its status and (when given) the field it names. */
export function expectError(reply: Reply, status: number, code: string, field?: string): void {
  expect({ status: reply.status, code: reply.body?.error?.code }).toEqual({ status, code });
  expect(typeof reply.body.error.message).toBe('string');
  if (field !== undefined) expect(reply.body.error.field).toBe(field);
  expect(JSON.stringify(reply.body)).not.toMatch(/at .*\.(ts|js):\d+/);
}

/**
 * Retries an assertion until it passes or the time runs out: for reads that
 * cross a service boundary kept in sync asynchronously (after a flip).
 */
export async function eventually(assertion: () => Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

let counter = 0;
/** A value no other test (or earlier run) used: for e-mails and titles. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
