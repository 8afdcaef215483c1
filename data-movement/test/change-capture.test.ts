import { describeEachEngine } from '../../test/support/engines';
import { CHANGE_TABLE, installCapture } from '../src/change-capture';
import type { Endpoints } from '../src/endpoints';
import { findDataSet } from '../src/spec/load-spec';
import { createMovingData, type MovingData } from './support/endpoints';
import { copyExampleSpec } from './support/spec-file';

describeEachEngine('change capture on a shared monolith', (engine) => {
  let data: MovingData;
  let endpoints: Endpoints;

  beforeAll(async () => {
    data = await createMovingData(engine, 'catalog', {
      artists: 2,
      albumsPerArtist: 1,
      tracksPerAlbum: 1,
      orders: 1,
    });
    endpoints = await data.open();
  });

  afterAll(async () => {
    await endpoints?.close();
    await data?.cleanup();
  });

  it('when two services install at the same moment (as `npm start` does), again and again, then writes are captured for both', async () => {
    const spec = copyExampleSpec();
    const tablesOf = (set: string) => findDataSet(spec.spec, set).source.tables;
    spec.cleanup();
    for (let round = 0; round < 5; round++) {
      await Promise.all([
        installCapture(endpoints.source, tablesOf('catalog')),
        installCapture(endpoints.source, tablesOf('finance')),
      ]);
    }
    await endpoints.source('artists').insert({ name: 'Captured Artist' });
    await endpoints
      .source('countries')
      .insert({ code: 'ZZ', name: 'Captureland', tax_rate_bp: 0, shipping_zone: 'world' });
    const captured = await endpoints
      .source(CHANGE_TABLE)
      .select('table_name')
      .whereIn('table_name', ['artists', 'countries']);
    expect(new Set(captured.map((row: { table_name: string }) => row.table_name))).toEqual(
      new Set(['artists', 'countries']),
    );
  });
});
