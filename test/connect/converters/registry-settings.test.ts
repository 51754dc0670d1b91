// The registry converters' shared settings, with Confluent's names and defaults.
import { describe, expect, it } from 'vitest';
import { ConnectConfigError } from '../../../src/connect/api/errors.js';
import { readRegistrySettings } from '../../../src/connect/converters/registry-settings.js';

describe('registry converter settings', () => {
  it("take Confluent's defaults, and the worker's registry when the config names none", () => {
    expect(readRegistrySettings({}, false, { schemaRegistryUrl: 'http://registry:8081/' })).toEqual({
      url: 'http://registry:8081',
      autoRegister: true,
      useLatestVersion: false,
      strategy: 'TopicNameStrategy',
      headers: {},
    });
  });

  it('read the subject name strategy for the key or the value side', () => {
    const settings = {
      'schema.registry.url': 'http://a:1,http://b:2',
      'key.subject.name.strategy': 'io.confluent.kafka.serializers.subject.TopicRecordNameStrategy',
      'value.subject.name.strategy': 'RecordNameStrategy',
      'auto.register.schemas': 'false',
      'use.latest.version': 'TRUE',
    };
    expect(readRegistrySettings(settings, true, {})).toMatchObject({
      url: 'http://a:1',
      strategy: 'TopicRecordNameStrategy',
      autoRegister: false,
      useLatestVersion: true,
    });
    expect(readRegistrySettings(settings, false, {}).strategy).toBe('RecordNameStrategy');
  });

  it('send basic auth from basic.auth.user.info or the URL', () => {
    const basic = `Basic ${Buffer.from('me:secret').toString('base64')}`;
    expect(
      readRegistrySettings(
        {
          'schema.registry.url': 'http://r',
          'basic.auth.credentials.source': 'USER_INFO',
          'basic.auth.user.info': 'me:secret',
        },
        false,
        {},
      ).headers,
    ).toEqual({ authorization: basic });
    const fromUrl = readRegistrySettings({ 'schema.registry.url': 'http://me:secret@r:8081' }, false, {});
    expect(fromUrl.headers).toEqual({ authorization: basic });
    expect(fromUrl.url).toBe('http://r:8081');
  });

  it('refuse bad settings saying which key and what to set', () => {
    expect(() => readRegistrySettings({}, true, {})).toThrow(
      /key\.converter\.schema\.registry\.url is required/,
    );
    expect(() => readRegistrySettings({ 'schema.registry.url': 'not a url' }, false, {})).toThrow(
      ConnectConfigError,
    );
    expect(() =>
      readRegistrySettings({ 'schema.registry.url': 'http://r', 'auto.register.schemas': 'yes' }, false, {}),
    ).toThrow(/true or false/);
    expect(() =>
      readRegistrySettings(
        { 'schema.registry.url': 'http://r', 'basic.auth.credentials.source': 'SASL_INHERIT' },
        false,
        {},
      ),
    ).toThrow(/USER_INFO or URL/);
  });
});
