// Every endpoint of the Confluent-compatible API against a real broker: answers, status codes,
// error codes and content types.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf, avroRecord, startBrokerAndRegistry, V1_JSON } from './helpers.js';

let setup: Awaited<ReturnType<typeof startBrokerAndRegistry>>;
let api: ReturnType<typeof apiOf>;

beforeAll(async () => {
  setup = await startBrokerAndRegistry();
  api = apiOf(setup.registry);
});

afterAll(async () => {
  await setup?.stop();
});

const user = avroRecord('User', [{ name: 'name', type: 'string' }]);
const userWithAge = avroRecord('User', [
  { name: 'name', type: 'string' },
  { name: 'age', type: 'int', default: 0 },
]);

describe('root and health', () => {
  it('GET / answers {} with the registry content type', async () => {
    const response = await api('GET', '/');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({});
    expect(response.contentType).toContain(V1_JSON);
  });

  it('GET /health reports the component, its role and the topic', async () => {
    const response = await api('GET', '/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      component: 'registry',
      role: 'primary',
      topic: '_schemas',
    });
  });

  it('GET /schemas/types lists the three types', async () => {
    const response = await api('GET', '/schemas/types');
    expect(response.body).toEqual(['JSON', 'PROTOBUF', 'AVRO']);
  });

  it('an unknown path is a 404 with an error body', async () => {
    const response = await api('GET', '/nope');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error_code: 404 });
  });
});

describe('register and read back', () => {
  it('registers, lists and reads a subject in every way', async () => {
    const registered = await api<{ id: number }>('POST', '/subjects/users-value/versions', { schema: user });
    expect(registered.status).toBe(200);
    expect(registered.contentType).toContain(V1_JSON);
    const id = registered.body.id;
    expect(id).toBeGreaterThan(0);

    expect((await api('GET', '/subjects')).body).toContain('users-value');
    expect((await api('GET', '/subjects/users-value/versions')).body).toEqual([1]);

    const latest = await api('GET', '/subjects/users-value/versions/latest');
    expect(latest.body).toEqual({ subject: 'users-value', version: 1, id, schema: user });
    expect((await api('GET', '/subjects/users-value/versions/1')).body).toEqual(latest.body);
    expect((await api('GET', '/subjects/users-value/versions/-1')).body).toEqual(latest.body);

    const raw = await api('GET', '/subjects/users-value/versions/1/schema');
    expect(raw.text).toBe(user);

    expect((await api('GET', `/schemas/ids/${id}`)).body).toEqual({ schema: user });
    expect((await api('GET', `/schemas/ids/${id}/schema`)).text).toBe(user);
    expect((await api('GET', `/schemas/ids/${id}/versions`)).body).toEqual([
      { subject: 'users-value', version: 1 },
    ]);
    expect((await api('GET', `/schemas/ids/${id}/subjects`)).body).toEqual(['users-value']);
    expect((await api('GET', `/schemas/ids/${id}?fetchMaxId=true`)).body).toMatchObject({ maxId: id });

    const lookup = await api('POST', '/subjects/users-value', { schema: user });
    expect(lookup.body).toEqual({ subject: 'users-value', version: 1, id, schema: user });
  });

  it('the same schema again (even reformatted) gives the same id and no new version', async () => {
    const first = await api<{ id: number }>('POST', '/subjects/same-value/versions', { schema: user });
    const reformatted = JSON.stringify(JSON.parse(user), null, 4);
    const again = await api<{ id: number }>('POST', '/subjects/same-value/versions', { schema: reformatted });
    expect(again.body.id).toBe(first.body.id);
    expect((await api('GET', '/subjects/same-value/versions')).body).toEqual([1]);
  });

  it('the same schema under another subject reuses the global id', async () => {
    const first = await api<{ id: number }>('POST', '/subjects/shared-a/versions', { schema: userWithAge });
    const second = await api<{ id: number }>('POST', '/subjects/shared-b/versions', { schema: userWithAge });
    expect(second.body.id).toBe(first.body.id);
    const subjects = await api('GET', `/schemas/ids/${first.body.id}/subjects`);
    expect(subjects.body).toEqual(['shared-a', 'shared-b']);
  });

  it('a compatible change becomes version 2 with a new id', async () => {
    const first = await api<{ id: number }>('POST', '/subjects/evolve-value/versions', { schema: user });
    const second = await api<{ id: number }>('POST', '/subjects/evolve-value/versions', {
      schema: userWithAge,
    });
    expect(second.status).toBe(200);
    expect(second.body.id).not.toBe(first.body.id);
    expect((await api('GET', '/subjects/evolve-value/versions')).body).toEqual([1, 2]);
    expect((await api('GET', '/subjects/evolve-value/versions/latest')).body).toMatchObject({ version: 2 });
  });

  it('registers JSON Schema and Protobuf with their schemaType', async () => {
    const jsonSchema = JSON.stringify({
      type: 'object',
      properties: { name: { type: 'string' } },
    });
    const json = await api<{ id: number }>('POST', '/subjects/json-value/versions', {
      schemaType: 'JSON',
      schema: jsonSchema,
    });
    expect(json.status).toBe(200);
    expect((await api('GET', `/schemas/ids/${json.body.id}`)).body).toEqual({
      schemaType: 'JSON',
      schema: jsonSchema,
    });
    const proto = 'syntax = "proto3";\npackage venice.test;\n\nmessage Order {\n  string id = 1;\n}\n';
    const protobuf = await api<{ id: number }>('POST', '/subjects/proto-value/versions', {
      schemaType: 'PROTOBUF',
      schema: proto,
    });
    expect(protobuf.status).toBe(200);
    expect((await api('GET', '/subjects/proto-value/versions/1')).body).toMatchObject({
      schemaType: 'PROTOBUF',
      id: protobuf.body.id,
    });
  });

  it('references: a Protobuf schema importing another, and referencedby', async () => {
    const customer =
      'syntax = "proto3";\npackage venice.test;\n\nmessage Customer {\n  string name = 1;\n}\n';
    const base = await api<{ id: number }>('POST', '/subjects/customer.proto/versions', {
      schemaType: 'PROTOBUF',
      schema: customer,
    });
    expect(base.status).toBe(200);
    const order =
      'syntax = "proto3";\npackage venice.test;\nimport "customer.proto";\n\n' +
      'message Invoice {\n  Customer customer = 1;\n  double total = 2;\n}\n';
    const references = [{ name: 'customer.proto', subject: 'customer.proto', version: 1 }];
    const registered = await api<{ id: number }>('POST', '/subjects/invoice-value/versions', {
      schemaType: 'PROTOBUF',
      schema: order,
      references,
    });
    expect(registered.status).toBe(200);
    expect((await api('GET', `/schemas/ids/${registered.body.id}`)).body).toMatchObject({ references });
    expect((await api('GET', '/subjects/customer.proto/versions/1/referencedby')).body).toEqual([
      registered.body.id,
    ]);
    // A referenced version cannot be deleted while something uses it.
    const refused = await api('DELETE', '/subjects/customer.proto/versions/1');
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error_code: 42206 });
    // A reference to nothing is an invalid schema.
    const dangling = await api('POST', '/subjects/dangling-value/versions', {
      schemaType: 'PROTOBUF',
      schema: order,
      references: [{ name: 'customer.proto', subject: 'customer.proto', version: 9 }],
    });
    expect(dangling.body).toMatchObject({ error_code: 42201 });
  });

  it('accepts application/json and application/vnd.schemaregistry+json bodies', async () => {
    for (const contentType of ['application/json', 'application/vnd.schemaregistry+json']) {
      const response = await api('POST', '/subjects/ctype-value/versions', { schema: user }, contentType);
      expect(response.status).toBe(200);
    }
    const refused = await api(
      'POST',
      '/subjects/ctype-value/versions',
      'schema=x',
      'application/x-www-form-urlencoded',
    );
    expect(refused.status).toBe(415);
  });
});

describe('errors', () => {
  it('an invalid schema is 422 / 42201', async () => {
    const response = await api('POST', '/subjects/bad-value/versions', { schema: '{"type": "record"' });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ error_code: 42201 });
    const empty = await api('POST', '/subjects/bad-value/versions', {});
    expect(empty.body).toMatchObject({ error_code: 42201 });
    const badType = await api('POST', '/subjects/bad-value/versions', { schema: user, schemaType: 'XML' });
    expect(badType.body).toMatchObject({ error_code: 42201 });
  });

  it('an unknown subject is 404 / 40401 wherever it is named', async () => {
    for (const [method, path] of [
      ['GET', '/subjects/ghost/versions'],
      ['GET', '/subjects/ghost/versions/1'],
      ['GET', '/subjects/ghost/versions/latest'],
      ['DELETE', '/subjects/ghost'],
      ['DELETE', '/subjects/ghost/versions/1'],
    ]) {
      const response = await api(method, path);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body, `${method} ${path}`).toMatchObject({ error_code: 40401 });
    }
    expect((await api('POST', '/subjects/ghost', { schema: user })).body).toMatchObject({
      error_code: 40401,
    });
  });

  it('an unknown version is 404 / 40402, a bad version string 422 / 42202', async () => {
    await api('POST', '/subjects/versions-value/versions', { schema: user });
    const missing = await api('GET', '/subjects/versions-value/versions/7');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error_code: 40402 });
    for (const bad of ['abc', '0', '-2', '2147483648', '1.5']) {
      const response = await api('GET', `/subjects/versions-value/versions/${bad}`);
      expect(response.status, bad).toBe(422);
      expect(response.body, bad).toMatchObject({ error_code: 42202 });
    }
  });

  it('an unknown id is 404 / 40403, and so is a schema not under the subject', async () => {
    for (const path of ['/schemas/ids/999999', '/schemas/ids/999999/versions', '/schemas/ids/abc']) {
      const response = await api('GET', path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).toMatchObject({ error_code: 40403 });
    }
    await api('POST', '/subjects/lookup-value/versions', { schema: user });
    const other = await api('POST', '/subjects/lookup-value', { schema: userWithAge });
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ error_code: 40403 });
  });

  it('a bad compatibility level is 422 / 42203, a bad mode 422 / 42204', async () => {
    const level = await api('PUT', '/config', { compatibility: 'SIDEWAYS' });
    expect(level.status).toBe(422);
    expect(level.body).toMatchObject({ error_code: 42203 });
    expect((await api('PUT', '/config/x', {})).body).toMatchObject({ error_code: 42203 });
    const mode = await api('PUT', '/mode', { mode: 'WRITEONLY' });
    expect(mode.status).toBe(422);
    expect(mode.body).toMatchObject({ error_code: 42204 });
  });

  it('malformed JSON is 400 / 400 (as Confluent answers), a body of the wrong shape 422', async () => {
    const malformed = await api('POST', '/subjects/json-errors/versions', '{"schema": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error_code: 400 });
    const wrongShape = await api('POST', '/subjects/json-errors/versions', { schema: { nested: true } });
    expect(wrongShape.status).toBe(422);
    expect(wrongShape.body).toMatchObject({ error_code: 422 });
  });

  it('an oversized body is 413', async () => {
    const huge = avroRecord('Huge', [{ name: 'x'.repeat(2 * 1024 * 1024), type: 'string' }]);
    const response = await api('POST', '/subjects/huge-value/versions', { schema: huge });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ error_code: 413 });
  });

  it('an incompatible schema is 409 with the reasons', async () => {
    await api('POST', '/subjects/strict-value/versions', { schema: user });
    const incompatible = avroRecord('User', [
      { name: 'name', type: 'string' },
      { name: 'email', type: 'string' },
    ]);
    const response = await api<{ error_code: number; message: string }>(
      'POST',
      '/subjects/strict-value/versions',
      {
        schema: incompatible,
      },
    );
    expect(response.status).toBe(409);
    expect(response.body.error_code).toBe(409);
    expect(response.body.message).toMatch(/incompatible/i);
    expect(response.body.message).toMatch(/email/);
  });
});

describe('compatibility endpoint', () => {
  it('answers is_compatible, with messages when verbose', async () => {
    await api('POST', '/subjects/compat-value/versions', { schema: user });
    const ok = await api('POST', '/compatibility/subjects/compat-value/versions/latest', {
      schema: userWithAge,
    });
    expect(ok.body).toEqual({ is_compatible: true });
    const bad = avroRecord('User', [{ name: 'name', type: 'int' }]);
    const verbose = await api<{ is_compatible: boolean; messages: string[] }>(
      'POST',
      '/compatibility/subjects/compat-value/versions/1?verbose=true',
      { schema: bad },
    );
    expect(verbose.body.is_compatible).toBe(false);
    expect(verbose.body.messages.join('\n')).toMatch(/name/);
    const all = await api('POST', '/compatibility/subjects/compat-value/versions', { schema: bad });
    expect(all.body).toEqual({ is_compatible: false });
  });

  it('a subject without versions is compatible with anything; a missing version is 40402', async () => {
    const fresh = await api('POST', '/compatibility/subjects/fresh-value/versions/latest', { schema: user });
    expect(fresh.body).toEqual({ is_compatible: true });
    await api('POST', '/subjects/compat-missing/versions', { schema: user });
    const missing = await api('POST', '/compatibility/subjects/compat-missing/versions/5', { schema: user });
    expect(missing.body).toMatchObject({ error_code: 40402 });
    const badVersion = await api('POST', '/compatibility/subjects/compat-missing/versions/x', {
      schema: user,
    });
    expect(badVersion.body).toMatchObject({ error_code: 42202 });
  });
});

describe('config', () => {
  it('global and subject levels, defaultToGlobal, delete', async () => {
    expect((await api('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    const notSet = await api('GET', '/config/config-value');
    expect(notSet.status).toBe(404);
    expect(notSet.body).toMatchObject({ error_code: 40408 });
    expect((await api('GET', '/config/config-value?defaultToGlobal=true')).body).toEqual({
      compatibilityLevel: 'BACKWARD',
    });

    expect((await api('PUT', '/config/config-value', { compatibility: 'full' })).body).toEqual({
      compatibility: 'FULL',
    });
    expect((await api('GET', '/config/config-value')).body).toEqual({ compatibilityLevel: 'FULL' });
    expect((await api('DELETE', '/config/config-value')).body).toEqual({ compatibilityLevel: 'FULL' });
    expect((await api('GET', '/config/config-value')).body).toMatchObject({ error_code: 40408 });
    expect((await api('DELETE', '/config/config-value')).body).toMatchObject({ error_code: 40401 });

    expect((await api('PUT', '/config', { compatibility: 'NONE' })).body).toEqual({ compatibility: 'NONE' });
    expect((await api('GET', '/config')).body).toEqual({ compatibilityLevel: 'NONE' });
    expect((await api('DELETE', '/config')).body).toEqual({ compatibilityLevel: 'NONE' });
    expect((await api('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
  });
});

describe('mode', () => {
  it('READONLY refuses writes with 42205; IMPORT registers with a given id and version', async () => {
    expect((await api('GET', '/mode')).body).toEqual({ mode: 'READWRITE' });
    expect((await api('GET', '/mode/ro-value')).body).toMatchObject({ error_code: 40409 });
    expect((await api('GET', '/mode/ro-value?defaultToGlobal=true')).body).toEqual({ mode: 'READWRITE' });

    expect((await api('PUT', '/mode/ro-value', { mode: 'READONLY' })).body).toEqual({ mode: 'READONLY' });
    const refused = await api('POST', '/subjects/ro-value/versions', { schema: user });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error_code: 42205 });
    expect((await api('DELETE', '/mode/ro-value')).body).toEqual({ mode: 'READONLY' });
    expect((await api('POST', '/subjects/ro-value/versions', { schema: user })).status).toBe(200);

    // IMPORT on a subject that has versions needs force.
    expect((await api('PUT', '/mode/ro-value', { mode: 'IMPORT' })).body).toMatchObject({
      error_code: 42205,
    });
    expect((await api('PUT', '/mode/import-value', { mode: 'IMPORT' })).body).toEqual({ mode: 'IMPORT' });
    const imported = await api('POST', '/subjects/import-value/versions', {
      schema: avroRecord('Imported', [{ name: 'a', type: 'long' }]),
      id: 5000,
      version: 7,
    });
    expect(imported.body).toEqual({ id: 5000 });
    expect((await api('GET', '/subjects/import-value/versions')).body).toEqual([7]);
    expect((await api('GET', '/schemas/ids/5000')).status).toBe(200);
    // An id already used by another schema cannot be taken.
    const clash = await api('POST', '/subjects/import-value/versions', {
      schema: avroRecord('Other', [{ name: 'b', type: 'long' }]),
      id: 5000,
    });
    expect(clash.body).toMatchObject({ error_code: 42205 });
    await api('DELETE', '/mode/import-value');
    // Outside IMPORT an id cannot be chosen.
    const notImport = await api('POST', '/subjects/import-value/versions', { schema: user, id: 6000 });
    expect(notImport.body).toMatchObject({ error_code: 42205 });
    // New ids continue after the highest one seen.
    const next = await api<{ id: number }>('POST', '/subjects/after-import/versions', {
      schema: avroRecord('AfterImport', [{ name: 'c', type: 'long' }]),
    });
    expect(next.body.id).toBe(5001);
  });
});
