// StringConverter: text both ways, with Connect's optional string schema, and its encoding setting.
import { describe, expect, it } from 'vitest';
import { ConnectConfigError } from '../../../src/connect/api/errors.js';
import { findConverterPlugin } from '../../../src/connect/converters/index.js';

const plugin = findConverterPlugin('org.apache.kafka.connect.storage.StringConverter');

describe('StringConverter', () => {
  it('is found by class name and alias', () => {
    expect(plugin).toBeDefined();
    expect(findConverterPlugin('stringconverter')).toBe(plugin);
  });

  it('reads text with the optional string schema, and null as null', async () => {
    const converter = plugin!.create({}, true, {});
    expect(await converter.toConnectData('t', Buffer.from('héllo'), [])).toEqual({
      schema: { type: 'string', optional: true },
      value: 'héllo',
    });
    expect((await converter.toConnectData('t', null, [])).value).toBeNull();
  });

  it('writes any value as its text', async () => {
    const converter = plugin!.create({}, false, {});
    expect((await converter.fromConnectData('t', null, 'abc'))?.toString()).toBe('abc');
    expect((await converter.fromConnectData('t', null, 42n))?.toString()).toBe('42');
    expect((await converter.fromConnectData('t', null, { a: 1 }))?.toString()).toBe('{"a":1}');
    expect(await converter.fromConnectData('t', null, null)).toBeNull();
  });

  it('honours converter.encoding and refuses an unknown one', async () => {
    const latin = plugin!.create({ 'converter.encoding': 'ISO-8859-1' }, false, {});
    expect(await latin.fromConnectData('t', null, 'é')).toEqual(Buffer.from([0xe9]));
    expect(() => plugin!.create({ 'converter.encoding': 'EBCDIC' }, false, {})).toThrow(ConnectConfigError);
  });
});
