// Venice's client (what `venice acl` uses) creates, lists and deletes ACLs against a real broker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka } from '../../src/client/index.js';
import { startTestBroker, temporaryDataDir } from '../helpers/broker.js';
import type { RunningBroker } from '../../src/broker/main.js';

describe('client ACLs', () => {
  let broker: RunningBroker & { bootstrap: string };
  let kafka: Kafka;

  beforeAll(async () => {
    broker = await startTestBroker({
      dataDir: temporaryDataDir('client-acls'),
      authorizer: { enabled: true, superUsers: ['User:admin'], allowEveryoneIfNoAclFound: false },
      principalBuilder: () => 'User:admin',
    });
    kafka = openKafka({ bootstrapServers: broker.bootstrap, clientId: 'acl-client-test' });
  });

  afterAll(async () => {
    await kafka?.close();
    await broker?.stop();
  });

  it('creates, lists and deletes ACLs by their Kafka names, and keeps them across a restart', async () => {
    await kafka.acls.create([
      {
        resourceType: 'topic',
        resourceName: 'sales-',
        patternType: 'prefixed',
        principal: 'User:alice',
        host: '*',
        operation: 'read',
        permission: 'allow',
      },
    ]);
    const query = {
      resourceType: 'TOPIC',
      resourceName: 'sales-eu',
      patternType: 'MATCH',
      principal: null,
      host: null,
      operation: 'ANY',
      permission: 'ANY',
    };
    expect(await kafka.acls.list(query)).toEqual([
      expect.objectContaining({ resourceName: 'sales-', patternType: 'PREFIXED', operation: 'READ' }),
    ]);
    await expect(kafka.acls.list({ ...query, operation: 'FLY' })).rejects.toThrow(/unknown operation "FLY"/);

    await kafka.close();
    const dataDir = broker.context.config.dataDir;
    await broker.stop();
    broker = await startTestBroker({
      dataDir,
      authorizer: { enabled: true, superUsers: ['User:admin'], allowEveryoneIfNoAclFound: false },
      principalBuilder: () => 'User:admin',
    });
    kafka = openKafka({ bootstrapServers: broker.bootstrap, clientId: 'acl-client-test' });
    expect(await kafka.acls.list(query)).toHaveLength(1);
    const deleted = await kafka.acls.delete([{ ...query, resourceName: 'sales-', patternType: 'PREFIXED' }]);
    expect(deleted).toHaveLength(1);
    expect(await kafka.acls.list(query)).toEqual([]);
  });
});
