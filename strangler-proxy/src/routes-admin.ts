import type { Logger } from 'pino';
import { closestName } from '../../common/src/did-you-mean';
import { ProxyError } from './errors';
import type { PromotionController } from './promotion';
import type { RoutesStore } from './routes-store';

const bad = (message: string) => new ProxyError('ERR_ADMIN_BAD_REQUEST', message);

/** PATCH /admin/routes/:name { to?, percent? }: one atomic, audited write of the routes file. */
export function changeRoute(store: RoutesStore, name: string, body: unknown, actor: string) {
  const written = store.change(name, parseChange(body), actor);
  return {
    route: written.route,
    before: written.before,
    after: written.after,
    version: store.version,
  };
}

const CHANGE_FIELDS = ['to', 'percent'];

function parseChange(body: unknown): { to?: string; percent?: number } {
  const value = body as { to?: unknown; percent?: unknown } | null;
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw bad('send a JSON object like {"to":"catalog-service","percent":10}');
  // An ignored field would be a change the operator believes was made.
  const unknown = Object.keys(value).filter((key) => !CHANGE_FIELDS.includes(key));
  if (unknown.length > 0) {
    const hints = unknown.map((key) => {
      const close = closestName(key, CHANGE_FIELDS);
      return `"${key}"${close ? ` (did you mean "${close}"?)` : ''}`;
    });
    throw bad(
      `unknown field ${hints.join(', ')}: a route change takes only "to" and "percent", e.g. {"to":"catalog-service","percent":10}`,
    );
  }
  if (value.to !== undefined && typeof value.to !== 'string')
    throw bad('"to" must be an upstream name');
  if (value.percent !== undefined && typeof value.percent !== 'number')
    throw bad('"percent" must be a number from 0 to 100');
  if (value.to === undefined && value.percent === undefined)
    throw bad('send "to" and/or "percent"');
  return { to: value.to as string | undefined, percent: value.percent as number | undefined };
}

/** POST /admin/routes/:name/promotion { action: "pause" | "resume" } for a route with `promote: auto`. */
export function changePromotion(
  promotion: PromotionController,
  logger: Logger,
  name: string,
  body: unknown,
) {
  const action = (body as { action?: unknown } | null)?.action;
  if (!promotion.view(name))
    throw bad(`route "${name}" has no "promote:"; add promote: auto to it in the routes file`);
  if (action !== 'pause' && action !== 'resume')
    throw bad('send {"action":"pause"} or {"action":"resume"}');
  if (action === 'pause') promotion.pause(name);
  else promotion.resume(name);
  logger.info(
    { audit: true, action: `promotion-${action}`, route: name },
    'admin promotion change',
  );
  return { route: name, promotion: promotion.view(name) };
}
