import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny HTTP relay that rewrites every JSON answer of the service behind it: how the tests
 * play a provider that changed its answers without editing the provider's code.
 */
export async function startAlteringProxy(
  target: string,
  alter: (body: unknown) => unknown,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      `${target}${req.url}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          let body = Buffer.concat(chunks);
          const headers = { ...answer.headers };
          if (String(headers['content-type']).startsWith('application/json')) {
            body = Buffer.from(JSON.stringify(alter(JSON.parse(body.toString('utf8')))));
            headers['content-length'] = String(body.length);
            delete headers.etag;
          }
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(body);
        });
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Adds a field the consumers have never seen to every object in a JSON document. */
export function addUnknownField(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(addUnknownField);
  if (body && typeof body === 'object')
    return {
      ...Object.fromEntries(Object.entries(body).map(([k, v]) => [k, addUnknownField(v)])),
      addedLater: { note: 'a field no consumer knows yet' },
    };
  return body;
}

/** The breaking change of the contracts exercise: priceCents becomes price {amount, currency}. */
export function priceAsObject(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(priceAsObject);
  if (body && typeof body === 'object') {
    const entries = Object.entries(body).map(([k, v]): [string, unknown] =>
      k === 'priceCents' ? ['price', { amount: v, currency: 'EUR' }] : [k, priceAsObject(v)],
    );
    return Object.fromEntries(entries);
  }
  return body;
}
