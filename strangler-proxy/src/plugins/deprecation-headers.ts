import { deprecationHeaders } from '../deprecations';
import type { ProxyPlugin } from '../exchange';

/**
 * Tells callers of a deprecated API version so (routes file `deprecations:`): `Deprecation`,
 * `Sunset` and `Link` on the answer, whichever upstream gives it. After the sunset date the
 * old version is still served: removing it is a deploy of the service, which its consumers'
 * contracts gate.
 */
export function deprecationPlugin(now: () => number = Date.now): ProxyPlugin {
  return {
    name: 'deprecation',
    onDecision(exchange) {
      const { req, res, table, target } = exchange;
      if (!target) return;
      const deprecation = table.deprecationFor(req.method ?? 'GET', target.segments, req.headers);
      if (!deprecation) return;
      for (const [name, value] of deprecationHeaders(deprecation, now()))
        res.setHeader(name, value);
    },
  };
}
