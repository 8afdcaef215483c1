import { type CatalogPort, HttpCatalogAdapter } from '../src/catalog-port';
import { MonolithError } from '../src/errors';
import { listenOnLoopback, startSilentServer, stopServer } from './support/catalog-service';
import http from 'node:http';

async function failureOf(work: Promise<unknown>): Promise<MonolithError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MonolithError);
  return error as MonolithError;
}

describe('http catalog adapter when the catalog service is not well', () => {
  it('when nothing listens, then it says CATALOG_UNAVAILABLE, naming the URL', async () => {
    const server = http.createServer();
    const url = await listenOnLoopback(server);
    await stopServer(server);
    const port: CatalogPort = new HttpCatalogAdapter({ baseUrl: url, timeoutMs: 1000 });
    const error = await failureOf(port.findAlbums([1]));
    expect(error.code).toBe('CATALOG_UNAVAILABLE');
    expect(error.message).toContain(`catalog service at ${url} is unreachable`);
  });

  it('when the service hangs, then it gives up after its timeout', async () => {
    const silent = await startSilentServer();
    try {
      const error = await failureOf(
        new HttpCatalogAdapter({ baseUrl: silent.url, timeoutMs: 100 }).listAlbumsInGenre(
          'Rock',
          1,
          10,
        ),
      );
      expect(error).toMatchObject({
        code: 'CATALOG_UNAVAILABLE',
        message: expect.stringContaining('did not answer within 100ms'),
      });
    } finally {
      await silent.close();
    }
  });

  it('when the service answers an error status, then that is unavailable rather than "no albums"', async () => {
    const server = http.createServer((_req, res) =>
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end('{"error":{"code":"INTERNAL"}}'),
    );
    const url = await listenOnLoopback(server);
    try {
      const error = await failureOf(
        new HttpCatalogAdapter({ baseUrl: url, timeoutMs: 1000 }).findAlbums([1, 2]),
      );
      expect(error.message).toContain('answered 500');
    } finally {
      await stopServer(server);
    }
  });
});
