// Issue #8, "ids and _schemas are sacred": each reproduction from the issue, against a real broker.
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

describe('IMPORT ids', () => {
  it('refuses an id that does not fit the 4 bytes of the wire format, and new ids stay distinct', async () => {
    expect((await api('PUT', '/mode', { mode: 'IMPORT' })).status).toBe(200);
    for (const id of [9007199254740992, 2 ** 31, 0, -1]) {
      const refused = await api<{ error_code: number; message: string }>('POST', '/subjects/imp/versions', {
        schema: '"bytes"',
        id,
        version: 1,
      });
      expect(refused.status, `id ${id}`).toBe(422);
      expect(refused.body.error_code).toBe(42205);
      expect(refused.body.message).toContain('2147483647');
    }
    const highest = await api<{ id: number }>('POST', '/subjects/imp/versions', {
      schema: '"bytes"',
      id: 2 ** 31 - 1,
      version: 1,
    });
    expect(highest.body).toEqual({ id: 2 ** 31 - 1 });
    expect((await api('PUT', '/mode', { mode: 'READWRITE' })).status).toBe(200);

    const ids = new Set<number>([2 ** 31 - 1]);
    for (const name of ['A', 'B', 'C']) {
      const subject = `unrelated-${name}`;
      const schema = avroRecord(name, [{ name: 'field', type: 'string' }]);
      const registered = await api<{ id: number }>('POST', `/subjects/${subject}/versions`, { schema });
      expect(registered.status).toBe(200);
      expect(registered.body.id).toBeLessThanOrEqual(2 ** 31 - 1);
      expect(ids.has(registered.body.id)).toBe(false);
      ids.add(registered.body.id);
      const latest = await api<{ schema: string }>('GET', `/subjects/${subject}/versions/latest`);
      expect(JSON.parse(latest.body.schema)).toMatchObject({ name });
    }
  });
});
