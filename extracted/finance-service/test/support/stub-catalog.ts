import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

export interface StubCatalog {
  url: string;
  /** up: answers; down: 503; silent: never answers (a timeout is certain, whatever the load). */
  mode: 'up' | 'down' | 'silent';
  albums: { id: number; title: string; genre: string }[];
  requests: { ids: string; correlationId: string | undefined }[];
  close(): Promise<void>;
}

/** Stands in for the catalog service's GET /catalog/albums?ids=… (the only call finance makes). */
export async function startStubCatalog(albums: StubCatalog['albums']): Promise<StubCatalog> {
  const app = express();
  const server = http.createServer(app);
  const stub: StubCatalog = {
    url: '',
    mode: 'up',
    albums,
    requests: [],
    close: async () => undefined,
  };
  app.get('/catalog/albums', (req, res) => {
    const ids = String(req.query.ids ?? '');
    stub.requests.push({ ids, correlationId: req.header('x-correlation-id') });
    if (stub.mode === 'down')
      return void res.status(503).json({ error: { code: 'UNAVAILABLE', message: 'down' } });
    if (stub.mode === 'silent') return;
    const wanted = new Set(ids.split(',').map(Number));
    res.json({
      items: stub.albums.filter((a) => wanted.has(a.id)),
      total: 0,
      page: 1,
      pageSize: 100,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return stub;
}
