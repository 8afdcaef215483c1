import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveOwner } from '../src/ownership';
import { DEFAULT_SPEC_FILE, findDataSet, loadSpec } from '../src/spec/load-spec';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-spec-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function specWith(text: string): string {
  const file = path.join(dir, `spec-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(file, text);
  return file;
}

const SET = `version: 1
dataSets:
  shop:
    owner: monolith
    source: { env: SHOP_DB }
    target: { env: ORDERS_DB, upstream: orders-service }
    tables:
      - { name: customers, target: clients, key: id, columns: { id: id, name: full_name } }
`;

describe('data-movement.yaml', () => {
  test("MusicCorp's example names its data sets, tables parents first, and no code names a table", () => {
    const spec = loadSpec(DEFAULT_SPEC_FILE);
    expect([...spec.sets.keys()]).toEqual(['catalog', 'finance']);
    const catalog = findDataSet(spec, 'catalog');
    expect(catalog.source.tables.map((t) => t.name)).toEqual(['artists', 'albums', 'tracks']);
    expect(catalog.target).toMatchObject({
      env: 'CATALOG_DATABASE_URL',
      upstream: 'catalog-service',
    });
    expect(findDataSet(spec, 'finance').source.tables[0]).toMatchObject({
      name: 'countries',
      key: 'code',
      keyType: 'text',
    });
  });

  test('renames: the target side gets its own table and column names, aligned with the source', () => {
    const shop = findDataSet(loadSpec(specWith(SET)), 'shop');
    expect(shop.source.tables[0]).toEqual({
      name: 'customers',
      key: 'id',
      keyType: 'integer',
      columns: ['id', 'name'],
    });
    expect(shop.target.tables[0]).toEqual({
      name: 'clients',
      key: 'id',
      keyType: 'integer',
      columns: ['id', 'full_name'],
    });
  });

  test.each([
    [
      SET.replace('owner: monolith', 'owner: order-service'),
      /data set "shop": field "owner": "order-service" is neither side's upstream \(known: monolith, orders-service\); did you mean "orders-service"\?/,
    ],
    [
      SET.replace('key: id,', 'kye: id,'),
      /data set "shop": unknown field "kye"; did you mean "key"\?/,
    ],
    [
      SET.replace('name: customers', 'name: "customers; drop table x"'),
      /field "tables.0.name": must be a plain SQL identifier/,
    ],
    [
      SET.replace('key: id,', 'key: ident,'),
      /field "tables.0.key": key "ident" is not one of the columns \(id, name\)/,
    ],
    [
      SET.replace('version: 1', 'version: 2'),
      /top level: field "version": .*Fix: start the file with version: 1/,
    ],
  ])(
    'when a spec is bad, then it is refused with file, data set, field and fix (%#)',
    (text, message) => {
      const file = specWith(text);
      expect(() => loadSpec(file)).toThrow(message);
      expect(() => loadSpec(file)).toThrow(path.basename(file));
      try {
        loadSpec(file);
      } catch (error) {
        expect(error).toMatchObject({ code: 'ERR_DATA_SPEC', exitCode: 2 });
      }
    },
  );

  test('when a data set is unknown, then the closest one is suggested', () => {
    expect(() => findDataSet(loadSpec(DEFAULT_SPEC_FILE), 'catalogue')).toThrow(
      /unknown data set "catalogue"; did you mean "catalog"\? \(known in .*: catalog, finance\)/,
    );
  });

  test('when the spec disagrees with the routes file on who owns a set, then the message says how to finish the handover', () => {
    const routes = path.join(dir, 'routes.yaml');
    fs.writeFileSync(routes, 'version: 1\ndataSets:\n  shop: { owner: orders-service }\n');
    const shop = findDataSet(loadSpec(specWith(`routes: ${routes}\n${SET}`)), 'shop');
    expect(() => resolveOwner(shop)).toThrow(
      /says data set "shop" is owned by monolith, but .*routes.yaml \(which the proxy enforces\) says orders-service: a handover did not finish. Re-run `strangler data handover shop --to orders-service`/,
    );
    fs.writeFileSync(routes, 'version: 1\ndataSets:\n  shop: { owner: monolith }\n');
    expect(resolveOwner(shop)).toMatchObject({ owner: 'monolith', side: { role: 'source' } });
  });
});
