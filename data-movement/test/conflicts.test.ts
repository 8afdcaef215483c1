import { describeEachEngine } from '../../test/support/engines';
import { backfillFlow } from '../src/backfill';
import { CHANGE_TABLE } from '../src/change-capture';
import type { Endpoints } from '../src/endpoints';
import { findConflicts, syncFlow } from '../src/sync';
import { createMovingData, type MovingData, quietStream } from './support/endpoints';

describeEachEngine('sync never overwrites a row the other side wrote', (engine) => {
  let data: MovingData;
  let endpoints: Endpoints;

  beforeEach(async () => {
    data = await createMovingData(engine, 'catalog', {
      artists: 5,
      albumsPerArtist: 1,
      tracksPerAlbum: 1,
      orders: 0,
    });
    endpoints = await data.open();
    await backfillFlow(endpoints, data.flow, { progressStream: quietStream });
  });

  afterEach(async () => {
    await endpoints?.close();
    await data?.cleanup();
  });

  test('when the service and the monolith hand out the same id and sync runs, then a conflict is reported and both rows are kept', async () => {
    // The service takes a write it should not have (the monolith owns the set): id 6.
    const [serviceRow] = await endpoints
      .target('artists')
      .insert({ name: 'Told the client: created by the service' })
      .returning('id');
    // The monolith hands out the same id to another artist.
    const [monolithRow] = await endpoints
      .source('artists')
      .insert({ name: 'Created in the monolith' })
      .returning('id');
    expect(Number(serviceRow.id)).toBe(Number(monolithRow.id));

    const sync = syncFlow(endpoints, data.flow);
    await expect(sync).rejects.toMatchObject({ code: 'ERR_DATA_CONFLICT', exitCode: 1 });
    await expect(sync).rejects.toThrow(
      /artists 6: owner \{"id":6,"name":"Created in the monolith"\} \/ other side \{"id":6,"name":"Told the client: created by the service"\}/,
    );
    // Nothing lost: each side still has its own row, and the change waits (lag 1).
    expect(await endpoints.target('artists').where({ id: 6 }).first()).toMatchObject({
      name: 'Told the client: created by the service',
    });
    expect(await endpoints.source('artists').where({ id: 6 }).first()).toMatchObject({
      name: 'Created in the monolith',
    });
    await expect(syncFlow(endpoints, data.flow)).rejects.toMatchObject({
      code: 'ERR_DATA_CONFLICT',
    });
    expect(await findConflicts(endpoints, data.flow)).toEqual([
      {
        table: 'artists',
        key: '6',
        owner: { id: 6, name: 'Created in the monolith' },
        other: { id: 6, name: 'Told the client: created by the service' },
      },
    ]);
  });

  test('when the owner deletes a row the other side changed, then sync does not remove it', async () => {
    await endpoints.target('artists').where({ id: 2 }).update({ name: 'Renamed by the service' });
    await endpoints.source('albums').where({ artist_id: 2 }).del();
    await endpoints.source('artists').where({ id: 2 }).del();
    await expect(syncFlow(endpoints, data.flow)).rejects.toThrow(/artists 2: owner null/);
    expect(await endpoints.target('artists').where({ id: 2 }).first()).toMatchObject({
      name: 'Renamed by the service',
    });
  });

  test("when sync wrote a row itself, then it is no conflict; when a person decided, then --overwrite-conflicts lets the owner's version win", async () => {
    await endpoints.source('artists').where({ id: 1 }).update({ name: 'First' });
    await syncFlow(endpoints, data.flow);
    await endpoints.source('artists').where({ id: 1 }).update({ name: 'Second' });
    await expect(syncFlow(endpoints, data.flow)).resolves.toMatchObject({ applied: 1 });
    await endpoints.target('artists').where({ id: 1 }).update({ name: 'Service' });
    await endpoints.source('artists').where({ id: 1 }).update({ name: 'Third' });
    await expect(syncFlow(endpoints, data.flow)).rejects.toMatchObject({
      code: 'ERR_DATA_CONFLICT',
    });
    await syncFlow(endpoints, data.flow, { overwriteConflicts: true });
    expect(await endpoints.target('artists').where({ id: 1 }).first()).toMatchObject({
      name: 'Third',
    });
    expect(await findConflicts(endpoints, data.flow)).toEqual([]);
  });

  test('when applied change rows are older than the retention, then they are pruned; pending ones stay', async () => {
    await endpoints.source('artists').insert({ name: 'Pruned later' });
    const count = async () =>
      Number((await endpoints.source(CHANGE_TABLE).count({ n: '*' }).first())?.n);
    const kept = await syncFlow(endpoints, data.flow, { retentionHours: 24 });
    expect(kept).toMatchObject({ applied: 1, pruned: 0 });
    expect(await count()).toBe(1);
    const pruned = await syncFlow(endpoints, data.flow, { retentionHours: 0 });
    expect(pruned).toMatchObject({ applied: 0, pruned: 1, pending: 0 });
    expect(await count()).toBe(0);
  });
});
