// ACLs against a real broker over TCP: kafkajs' admin creates, lists and deletes them, and kafkajs and
// kcat then meet the authorizer. Authentication is not needed to act as several principals: the test
// broker names each connection's principal by its source address (a principal builder), 127.0.0.2 being
// the super user and 127.0.0.1 (kcat, plain kafkajs) User:alice.
//
// Hooks for the end-to-end test with SASL/SCRAM users: `startAclBroker` takes the broker overrides (the
// listeners and users authentication adds), and `adminClient`/`userClient` are where SASL settings go.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
  type Admin,
  type KafkaConfig,
} from 'kafkajs';
import { startTestBroker, temporaryDataDir } from '../../helpers/broker.js';
import { runKcat } from '../../helpers/kcat.js';
import type { RunningBroker } from '../../../src/broker/main.js';
import type { BrokerConfig } from '../../../src/broker/config.js';

const ADMIN_ADDRESS = '127.0.0.2';
const SUPER_USER = 'User:admin';
const ALICE = 'User:alice';

type TestBroker = RunningBroker & { bootstrap: string };

export function startAclBroker(overrides: Partial<BrokerConfig> = {}): Promise<TestBroker> {
  return startTestBroker({
    host: '127.0.0.1',
    authorizer: { enabled: true, superUsers: [SUPER_USER], allowEveryoneIfNoAclFound: false },
    principalBuilder: (connection) => (connection.remoteAddress.endsWith(ADMIN_ADDRESS) ? SUPER_USER : ALICE),
    ...overrides,
  });
}

function client(broker: TestBroker, extra: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: 'acl-test',
    brokers: [broker.bootstrap],
    logLevel: logLevel.NOTHING,
    ...extra,
  });
}

/** A client acting as the super user: its sockets leave from 127.0.0.2. */
export function adminClient(broker: TestBroker): Kafka {
  return client(broker, {
    socketFactory: ({ host, port, onConnect }) =>
      net.connect({ host, port, localAddress: ADMIN_ADDRESS }, onConnect),
  });
}

/** A client acting as User:alice. */
export function userClient(broker: TestBroker): Kafka {
  return client(broker);
}

describe('ACLs over TCP', () => {
  let broker: TestBroker;
  let admin: Admin;

  beforeAll(async () => {
    broker = await startAclBroker({ dataDir: temporaryDataDir('acls') });
    admin = adminClient(broker).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'visible' }, { topic: 'hidden' }],
      waitForLeaders: true,
    });
  });

  afterAll(async () => {
    await admin?.disconnect();
    await broker?.stop();
  });

  const aliceOn = (topic: string, operation: AclOperationTypes) => ({
    resourceType: AclResourceTypes.TOPIC,
    resourceName: topic,
    resourcePatternType: ResourcePatternTypes.LITERAL,
    principal: ALICE,
    host: '*',
    operation,
    permissionType: AclPermissionTypes.ALLOW,
  });

  it('creates, describes and deletes ACLs with kafkajs admin', async () => {
    await admin.createAcls({ acl: [aliceOn('visible', AclOperationTypes.DESCRIBE)] });
    const described = await admin.describeAcls({
      resourceType: AclResourceTypes.TOPIC,
      resourcePatternType: ResourcePatternTypes.ANY,
      principal: ALICE,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    expect(described.resources).toEqual([
      expect.objectContaining({
        resourceName: 'visible',
        acls: [expect.objectContaining({ principal: ALICE, operation: AclOperationTypes.DESCRIBE })],
      }),
    ]);
    await admin.createAcls({ acl: [aliceOn('hidden', AclOperationTypes.READ)] });
    const deleted = await admin.deleteAcls({
      filters: [
        {
          resourceType: AclResourceTypes.TOPIC,
          resourceName: 'hidden',
          resourcePatternType: ResourcePatternTypes.MATCH,
          principal: ALICE,
          operation: AclOperationTypes.ANY,
          permissionType: AclPermissionTypes.ANY,
        },
      ],
    });
    expect(deleted.filterResponses[0].matchingAcls).toHaveLength(1);
  });

  it('refuses ACL changes to a user that may not ALTER the cluster', async () => {
    const alice = userClient(broker).admin();
    await alice.connect();
    try {
      await expect(alice.createAcls({ acl: [aliceOn('hidden', AclOperationTypes.ALL)] })).rejects.toThrow(
        /authoriz/i,
      );
    } finally {
      await alice.disconnect();
    }
  });

  it('hides from kcat -L the topics its principal may not DESCRIBE', async () => {
    const result = await runKcat(['-L', '-b', broker.bootstrap]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('topic "visible"');
    expect(result.stdout).not.toContain('topic "hidden"');
    expect(result.stdout).not.toContain('__consumer_offsets');
  });

  it('refuses produce without WRITE and fetch without READ, then allows them once granted', async () => {
    const producer = userClient(broker).producer({ retry: { retries: 0 }, allowAutoTopicCreation: false });
    await producer.connect();
    try {
      await expect(producer.send({ topic: 'visible', messages: [{ value: 'x' }] })).rejects.toThrow();
      await admin.createAcls({ acl: [aliceOn('visible', AclOperationTypes.WRITE)] });
      // kafkajs' idempotent-off producer needs no producer id: WRITE on the topic is enough.
      const [sent] = await producer.send({ topic: 'visible', messages: [{ value: 'x' }] });
      expect(sent.errorCode).toBe(0);
    } finally {
      await producer.disconnect();
    }
  });
});
