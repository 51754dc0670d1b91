// Soft and permanent deletes of subjects and versions, with Confluent's error codes for each order
// of operations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf, avroRecord, startBrokerAndRegistry } from './helpers.js';

let setup: Awaited<ReturnType<typeof startBrokerAndRegistry>>;
let api: ReturnType<typeof apiOf>;

beforeAll(async () => {
  setup = await startBrokerAndRegistry();
  api = apiOf(setup.registry);
});

afterAll(async () => {
  await setup?.stop();
});

const v1 = avroRecord('Item', [{ name: 'sku', type: 'string' }]);
const v2 = avroRecord('Item', [
  { name: 'sku', type: 'string' },
  { name: 'qty', type: 'int', default: 1 },
]);

async function twoVersions(subject: string): Promise<[number, number]> {
  const first = await api<{ id: number }>('POST', `/subjects/${subject}/versions`, { schema: v1 });
  const second = await api<{ id: number }>('POST', `/subjects/${subject}/versions`, { schema: v2 });
  return [first.body.id, second.body.id];
}

describe('subject deletes', () => {
  it('soft delete, then permanent; each out of order gets its error code', async () => {
    const [id1] = await twoVersions('del-subject');

    const notSoft = await api('DELETE', '/subjects/del-subject?permanent=true');
    expect(notSoft.status).toBe(404);
    expect(notSoft.body).toMatchObject({ error_code: 40405 });

    expect((await api('DELETE', '/subjects/del-subject')).body).toEqual([1, 2]);
    expect((await api('GET', '/subjects')).body).not.toContain('del-subject');
    expect((await api('GET', '/subjects?deleted=true')).body).toContain('del-subject');
    expect((await api('GET', '/subjects/del-subject/versions')).body).toMatchObject({ error_code: 40401 });
    expect((await api('GET', '/subjects/del-subject/versions?deleted=true')).body).toEqual([1, 2]);
    expect((await api('GET', '/subjects/del-subject/versions/1?deleted=true')).body).toMatchObject({
      version: 1,
    });
    // Ids stay readable after a soft delete, so old data can still be decoded.
    expect((await api('GET', `/schemas/ids/${id1}`)).status).toBe(200);

    const again = await api('DELETE', '/subjects/del-subject');
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ error_code: 40404 });

    expect((await api('DELETE', '/subjects/del-subject?permanent=true')).body).toEqual([1, 2]);
    expect((await api('GET', '/subjects?deleted=true')).body).not.toContain('del-subject');
    expect((await api('GET', `/schemas/ids/${id1}`)).body).toMatchObject({ error_code: 40403 });
    expect((await api('DELETE', '/subjects/del-subject?permanent=true')).body).toMatchObject({
      error_code: 40401,
    });
  });

  it('registering again after a soft delete continues the version numbers and reuses the id', async () => {
    const [id1] = await twoVersions('del-reregister');
    await api('DELETE', '/subjects/del-reregister');
    const again = await api<{ id: number }>('POST', '/subjects/del-reregister/versions', { schema: v1 });
    expect(again.body.id).toBe(id1);
    expect((await api('GET', '/subjects/del-reregister/versions')).body).toEqual([3]);
  });
});

describe('version deletes', () => {
  it('soft then permanent, with 40406 / 40407 out of order', async () => {
    await twoVersions('del-version');
    const notSoft = await api('DELETE', '/subjects/del-version/versions/2?permanent=true');
    expect(notSoft.body).toMatchObject({ error_code: 40407 });

    expect((await api('DELETE', '/subjects/del-version/versions/2')).body).toBe(2);
    expect((await api('GET', '/subjects/del-version/versions')).body).toEqual([1]);
    expect((await api('GET', '/subjects/del-version/versions/latest')).body).toMatchObject({ version: 1 });
    expect((await api('GET', '/subjects/del-version/versions/2')).body).toMatchObject({ error_code: 40402 });
    expect((await api('GET', '/subjects/del-version/versions?deletedOnly=true')).body).toEqual([2]);

    const again = await api('DELETE', '/subjects/del-version/versions/2');
    expect(again.body).toMatchObject({ error_code: 40406 });

    expect((await api('DELETE', '/subjects/del-version/versions/2?permanent=true')).body).toBe(2);
    expect((await api('GET', '/subjects/del-version/versions?deleted=true')).body).toEqual([1]);
    expect((await api('DELETE', '/subjects/del-version/versions/9')).body).toMatchObject({
      error_code: 40402,
    });
    expect((await api('DELETE', '/subjects/del-version/versions/x')).body).toMatchObject({
      error_code: 42202,
    });
  });

  it('"latest" deletes the newest live version', async () => {
    await twoVersions('del-latest');
    expect((await api('DELETE', '/subjects/del-latest/versions/latest')).body).toBe(2);
    expect((await api('DELETE', '/subjects/del-latest/versions/latest')).body).toBe(1);
    expect((await api('GET', '/subjects')).body).not.toContain('del-latest');
  });
});
