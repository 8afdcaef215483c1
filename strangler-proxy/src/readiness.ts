import { request } from 'undici';
import type { Upstream } from './upstreams';

export interface UpstreamHealth {
  ok: boolean;
  status?: number;
  error?: string;
  breaker?: string;
}

/** Probes each given upstream with a healthPath (GET, 2xx within the timeout); others count as ready. */
export async function probeUpstreams(
  upstreams: ReadonlyMap<string, Upstream>,
  timeoutMs = 1_000,
): Promise<Record<string, UpstreamHealth>> {
  const entries = await Promise.all(
    [...upstreams.values()].map(async (upstream): Promise<[string, UpstreamHealth]> => {
      const breaker = upstream.breaker?.state();
      if (!upstream.spec.healthPath) return [upstream.name, { ok: true, breaker }];
      try {
        const response = await request(upstream.origin + upstream.spec.healthPath, {
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        await response.body.dump();
        return [
          upstream.name,
          {
            ok: response.statusCode >= 200 && response.statusCode < 300,
            status: response.statusCode,
            breaker,
          },
        ];
      } catch (error) {
        return [
          upstream.name,
          {
            ok: false,
            error: (error as { code?: string }).code ?? (error as Error).message,
            breaker,
          },
        ];
      }
    }),
  );
  return Object.fromEntries(entries);
}
