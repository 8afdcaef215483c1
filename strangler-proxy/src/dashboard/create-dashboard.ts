import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import path from 'node:path';
import type { Logger } from 'pino';
import { ProxyError } from '../errors';
import { sendError } from '../error-status';
import { ASSETS_PREFIX, loadAssets, sendBrowserAsset } from './browser-assets';
import { equalsConstantTime } from './constant-time';
import { clearedSessionCookie, readCookie, SESSION_COOKIE, sessionCookie } from '../cookies';
import { createLoginThrottle, isSameOrigin, readForm } from './login';
import { renderDashboardPage, renderLoginPage } from './page-html';
import { sendProcesses } from './processes-view';
import { sendSeamReport } from './seam-report';
import { newNonce, redirect, sendHtml } from './security-headers';
import { createSessionStore, type Session } from './session-store';

export interface DashboardDeps {
  /** The admin token; null disables the dashboard along with the admin API. */
  token: string | null;
  logger: Logger;
  /** Folder of the latest `strangler seams --format html` output (default: reports/seams). */
  seamReportDir?: string;
  sessionTtlMs?: number;
  /** How often the page polls the admin API (default 2000 ms). */
  pollMs?: number;
  /** The business-process monitor whose GET /processes the page shows (PROCESS_MONITOR_URL). */
  processMonitorUrl?: string | null;
}

export const CSRF_HEADER = 'x-strangler-csrf';
/** The admin API and /metrics as the page sees them: under the session cookie's path. */
export const API_PREFIX = '/dashboard/api';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The migration dashboard on the admin port: `GET /dashboard` (login form or
 * page), `POST /dashboard/login`, `POST /dashboard/logout`, `GET /dashboard/seams`,
 * `GET /dashboard/assets/<file>` (the page's script modules and style, from `browser/`).
 *
 * @example
 * const dashboard = createDashboard(deps);                 // once, beside the admin handler
 * if (await dashboard.handle(req, res)) return;            // first, before req.url is read
 * const denied = req.headers.authorization ? checkBearer(req, token) : dashboard.checkSession(req);
 */
export function createDashboard(deps: DashboardDeps) {
  const sessions = createSessionStore({ ttlMs: deps.sessionTtlMs });
  const assets = loadAssets();
  const throttle = createLoginThrottle();
  const seamDir = deps.seamReportDir ?? path.resolve('reports', 'seams');
  const pollMs = deps.pollMs ?? 2000;
  const sessionOf = (req: IncomingMessage): Session | undefined =>
    sessions.find(readCookie(req.headers.cookie, SESSION_COOKIE));
  const secure = (req: IncomingMessage) => Boolean((req.socket as TLSSocket).encrypted);

  async function login(req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
    const nonce = newNonce();
    if (!isSameOrigin(req))
      return sendHtml(
        res,
        403,
        renderLoginPage(nonce, 'Sign-in refused: the form was posted from another site.'),
        nonce,
      );
    const source = req.socket.remoteAddress ?? 'unknown';
    const lockedMs = throttle.lockedFor(source);
    if (lockedMs > 0) {
      const seconds = Math.ceil(lockedMs / 1000);
      return sendHtml(
        res,
        429,
        renderLoginPage(
          nonce,
          `Too many failed sign-ins from ${source}: sign-in from this address is locked for ${seconds} more second${seconds === 1 ? '' : 's'}.`,
        ),
        nonce,
        { 'retry-after': String(seconds) },
      );
    }
    const form = await readForm(req);
    const given = form?.get('token') ?? '';
    if (!equalsConstantTime(given, token)) {
      throttle.fail(source);
      deps.logger.warn(
        { audit: true, action: 'dashboard login', ok: false, remote: req.socket.remoteAddress },
        'dashboard sign-in refused',
      );
      return sendHtml(
        res,
        401,
        renderLoginPage(
          nonce,
          'That token is not valid. Use the value of STRANGLER_ADMIN_TOKEN the proxy was started with.',
        ),
        nonce,
      );
    }
    const session = sessions.create();
    deps.logger.info(
      { audit: true, action: 'dashboard login', ok: true, remote: req.socket.remoteAddress },
      'dashboard sign-in',
    );
    redirect(res, '/dashboard', {
      'set-cookie': sessionCookie(session.id, Math.floor(sessions.ttlMs / 1000), secure(req)),
    });
  }

  async function logout(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const session = sessionOf(req);
    const form = await readForm(req);
    // Without the page's CSRF value another tab could sign the user out; refuse quietly by keeping the session.
    if (session && isSameOrigin(req) && equalsConstantTime(form?.get('csrf') ?? '', session.csrf)) {
      sessions.destroy(session.id);
      deps.logger.info(
        { audit: true, action: 'dashboard logout', remote: req.socket.remoteAddress },
        'dashboard sign-out',
      );
      return redirect(res, '/dashboard', { 'set-cookie': clearedSessionCookie(secure(req)) });
    }
    redirect(res, '/dashboard');
  }

  async function route(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
    token: string,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    if (pathname === '/dashboard/login' && method === 'POST') return login(req, res, token);
    if (pathname === '/dashboard/logout' && method === 'POST') return logout(req, res);
    if (method !== 'GET' && method !== 'HEAD')
      throw new ProxyError(
        'ERR_ADMIN_NOT_FOUND',
        `no such dashboard endpoint ${method} ${pathname}; open GET /dashboard`,
      );
    // No session needed: the sign-in page uses the style, and the files hold no data.
    if (pathname.startsWith(ASSETS_PREFIX)) return sendBrowserAsset(assets, req, res, pathname);
    const session = sessionOf(req);
    if (pathname === '/dashboard' || pathname === '/dashboard/') {
      const nonce = newNonce();
      return session
        ? sendHtml(res, 200, renderDashboardPage(nonce, session.csrf, pollMs), nonce)
        : sendHtml(res, 200, renderLoginPage(nonce), nonce);
    }
    if (pathname === '/dashboard/seams')
      return session ? sendSeamReport(res, seamDir) : redirect(res, '/dashboard');
    if (pathname === `${API_PREFIX}/processes`) {
      if (!session)
        throw new ProxyError(
          'ERR_ADMIN_UNAUTHORIZED',
          'sign in at /dashboard to see business processes',
        );
      return sendProcesses(res, deps.processMonitorUrl ?? null);
    }
    throw new ProxyError(
      'ERR_ADMIN_NOT_FOUND',
      `no such dashboard page ${pathname}; open GET /dashboard`,
    );
  }

  return {
    sessions,
    /**
     * Answers /dashboard and /dashboard/*. Returns false for any other path, and
     * for /dashboard/api/admin/* and /dashboard/api/metrics after rewriting
     * `req.url` to /admin/* and /metrics: call it before reading `req.url`.
     */
    async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
      const { pathname, search } = new URL(req.url ?? '/', 'http://admin');
      if (pathname !== '/dashboard' && !pathname.startsWith('/dashboard/')) return false;
      // The normalised path (dot segments resolved) is what the admin routing will see.
      const inner = pathname.startsWith(`${API_PREFIX}/`)
        ? pathname.slice(API_PREFIX.length)
        : null;
      if (inner !== null && (inner.startsWith('/admin/') || inner === '/metrics')) {
        req.url = inner + search;
        return false;
      }
      try {
        if (deps.token === null)
          throw new ProxyError(
            'ERR_ADMIN_NOT_FOUND',
            'the dashboard is disabled with the admin API; start the proxy with STRANGLER_ADMIN_TOKEN',
          );
        await route(req, res, pathname, deps.token);
      } catch (error) {
        sendError(
          res,
          error instanceof ProxyError
            ? error
            : new ProxyError('ERR_INTERNAL', (error as Error).message),
        );
      }
      return true;
    },
    /**
     * Admin API access with the dashboard's cookie instead of a bearer token:
     * null when allowed. SECURITY: a state-changing call must also carry the
     * session's CSRF value in `x-strangler-csrf`, which only the page knows.
     */
    checkSession(req: IncomingMessage): ProxyError | null {
      const session = sessionOf(req);
      if (!session)
        return new ProxyError(
          'ERR_ADMIN_UNAUTHORIZED',
          'admin API needs "Authorization: Bearer <STRANGLER_ADMIN_TOKEN>" or a dashboard session (sign in at /dashboard)',
        );
      if (SAFE_METHODS.has(req.method ?? 'GET')) return null;
      const given = req.headers[CSRF_HEADER];
      if (typeof given !== 'string' || !equalsConstantTime(given, session.csrf)) {
        return new ProxyError(
          'ERR_ADMIN_FORBIDDEN',
          `a change made with the dashboard session needs the "${CSRF_HEADER}" header of the page; reload /dashboard`,
        );
      }
      return null;
    },
  };
}

export type Dashboard = ReturnType<typeof createDashboard>;
