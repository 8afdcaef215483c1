import express from 'express';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { startService } from '../src/run-service';

describe('startService', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-service-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const spec = (port: number, onDb: (db: Knex) => void) => ({
    name: 'catalog-service',
    database: { engine: 'sqlite' as const, location: path.join(dir, `catalog-${port}.sqlite`) },
    host: '127.0.0.1',
    port,
    logLevel: 'silent',
    createApp: ({ db }: { db: Knex }) => {
      onDb(db);
      return express().get('/ping', (_req, res) => void res.json({ ok: true }));
    },
  });

  it('migrates, listens, answers and closes', async () => {
    const service = await startService(spec(0, () => undefined));
    const res = await fetch(`${service.url}/ping`);
    expect(await res.json()).toEqual({ ok: true });
    await service.close();
    await expect(fetch(`${service.url}/ping`)).rejects.toThrow();
  });

  it('when its port is taken, then it rejects with the reason and leaves no open database behind', async () => {
    const taken = http.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    let db: Knex | undefined;
    try {
      await expect(
        startService(spec((taken.address() as AddressInfo).port, (d) => (db = d))),
      ).rejects.toThrow(/EADDRINUSE/);
      expect(db).toBeDefined();
      await expect(db!.raw('select 1')).rejects.toThrow();
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
