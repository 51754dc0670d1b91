// Bad input on the secured listeners never crashes the broker (fuzz.test.ts does the same for the plain
// listener): SASL logins broken at each step on a SASL_PLAINTEXT listener, and TLS broken before, during
// and after the handshake on an SSL listener, against the broker as a child process, while well-behaved
// clients on every listener keep working. Every connection must be answered or closed in time.
// Deterministic for a seed (VENICE_FUZZ_SEED overrides the default one).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { spawnBroker, temporaryDataDir, type BrokerProcess } from '../helpers/broker.js';
import { makeTestCertificates, type TestCertificates } from '../helpers/tls-certs.js';
import { ApiKey } from '../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { Prng } from './fuzz/prng.js';
import { PlanBuilder } from './fuzz/plan.js';
import type { FuzzWorld } from './fuzz/random-message.js';
import { WireClient, type Endpoint } from './fuzz/wire-client.js';
import { canaryRoundTrip } from './fuzz/canary.js';
import { saslFuzzConnection, type FuzzOutcome, type Login } from './fuzz/sasl-script.js';
import { captureClientHello, tlsFuzzConnection } from './fuzz/tls-script.js';
import { shortLogLine } from './fuzz/report.js';

const SEED = Number(process.env.VENICE_FUZZ_SEED ?? 0x5ec_f022);
const SASL_CONNECTIONS = 240;
const TLS_CONNECTIONS = 200;
const PARALLEL_CONNECTIONS = 12;
/** The broker's request.read.timeout.ms here, which also bounds an unfinished TLS handshake. */
const READ_TIMEOUT_MS = 1500;
const ANSWER_WITHIN_MS = 5000;
const INCOMPLETE_WITHIN_MS = READ_TIMEOUT_MS + 5000;
const HEALTH_CHECKS = 4;

const PLAIN_USER: Login = { user: 'fuzz-plain', password: 'plain-secret' };
const SCRAM_USER: Login = { user: 'fuzz-scram', password: 'scram-secret' };
const CANARY_TOPIC = 'canary-secure';
const WORLD_TOPICS = ['fuzz-0', 'fuzz-1'];

/** "NAME (PROTOCOL) host:port" of each listener, from the broker's startup line. */
function listenerPorts(output: string): Record<string, number> {
  const ports: Record<string, number> = {};
  for (const match of output.matchAll(/(\w+) \((\w+)\) [^\s,]*:(\d+) \(advertised/g))
    ports[match[1]] = Number(match[3]);
  return ports;
}

async function prepare(port: number): Promise<{ world: FuzzWorld; plans: PlanBuilder; keys: Set<number> }> {
  const client = await WireClient.open(port);
  try {
    const created = await client.request(ApiKey.CreateTopics, 7, {
      topics: [...WORLD_TOPICS, CANARY_TOPIC].map((name) => ({
        name,
        numPartitions: 1,
        replicationFactor: 1,
        assignments: [],
        configs: [],
      })),
      timeoutMs: 10_000,
      validateOnly: false,
    });
    for (const topic of created.topics)
      expect(topic.errorCode, topic.errorMessage ?? '').toBe(ErrorCode.NONE);
    const upserted = await client.request(ApiKey.AlterUserScramCredentials, 0, {
      deletions: [],
      upsertions: [
        { mechanism: 1, hash: 'sha256' as const, length: 32 },
        { mechanism: 2, hash: 'sha512' as const, length: 64 },
      ].map(({ mechanism, hash, length }) => {
        const salt = crypto.randomBytes(32);
        const saltedPassword = crypto.pbkdf2Sync(SCRAM_USER.password, salt, 4096, length, hash);
        return { name: SCRAM_USER.user, mechanism, iterations: 4096, salt, saltedPassword };
      }),
    });
    for (const result of upserted.results) expect(result.errorCode).toBe(ErrorCode.NONE);
    const versions = await client.request(ApiKey.ApiVersions, 3, {
      clientSoftwareName: 'venice-fuzz',
      clientSoftwareVersion: '1',
    });
    const apis = versions.apiKeys.map(({ apiKey, minVersion, maxVersion }) => ({
      apiKey,
      minVersion,
      maxVersion,
    }));
    const world: FuzzWorld = {
      topics: WORLD_TOPICS,
      topicIds: created.topics
        .filter((topic) => WORLD_TOPICS.includes(topic.name))
        .map((topic) => topic.topicId),
      groups: ['fuzz-group'],
    };
    // Record-batch connections are the plain fuzz's business: no batch-only topics here.
    return {
      world,
      plans: new PlanBuilder(world, apis, WORLD_TOPICS),
      keys: new Set(apis.map((api) => api.apiKey)),
    };
  } finally {
    client.close();
  }
}

interface RunResult {
  outcomes: FuzzOutcome[];
  healthFailures: string[];
  seconds: number;
}

/** Runs `count` seeded connections, PARALLEL_CONNECTIONS at a time, with canary checks along the way. */
async function runFuzz(
  count: number,
  seed: number,
  connection: (rng: Prng) => Promise<FuzzOutcome>,
  healthCheck: (label: string) => Promise<void>,
  brokerAlive: () => boolean,
): Promise<RunResult> {
  const started = Date.now();
  const root = new Prng(seed);
  const outcomes: FuzzOutcome[] = [];
  const healthFailures: string[] = [];
  const checkEvery = Math.max(1, Math.floor(count / HEALTH_CHECKS));
  let next = 0;
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= count) return;
      if (index % checkEvery === checkEvery - 1) {
        await healthCheck(`check ${index}`).catch((error: Error) =>
          healthFailures.push(`${index}: ${error.message}`),
        );
      }
      const outcome = await connection(root.fork(index)).catch((error: Error): FuzzOutcome => ({
        label: 'connect',
        answered: false,
        closedByBroker: false,
        problem: `connection ${index} failed: ${error.message}`,
      }));
      if (outcome.problem) outcome.problem = `connection ${index} (${outcome.label}): ${outcome.problem}`;
      outcomes.push(outcome);
      if (!brokerAlive()) throw new Error(`broker exited during connection ${index} (${outcome.label})`);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_CONNECTIONS }, worker));
  return { outcomes, healthFailures, seconds: (Date.now() - started) / 1000 };
}

function printReport(title: string, result: RunResult): void {
  const byLabel = new Map<string, { count: number; answered: number; closed: number }>();
  for (const outcome of result.outcomes) {
    const key = outcome.label.replace(/ v[01]:/, ':');
    const row = byLabel.get(key) ?? { count: 0, answered: 0, closed: 0 };
    row.count++;
    if (outcome.answered) row.answered++;
    if (outcome.closedByBroker) row.closed++;
    byLabel.set(key, row);
  }
  const lines = [...byLabel.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([label, row]) =>
        `  ${label.padEnd(48)} ${row.count} conn, ${row.answered} answered, ${row.closed} closed`,
    );
  console.log(
    `${title}: ${result.outcomes.length} connections in ${result.seconds.toFixed(1)} s\n${lines.join('\n')}`,
  );
}

describe('broker fuzz on secured listeners', () => {
  let broker: BrokerProcess;
  let dataDir: string;
  let certs: TestCertificates;
  let ports: Record<string, number>;
  let plans: PlanBuilder;
  let supportedKeys: Set<number>;
  let tlsClient: tls.ConnectionOptions;

  const alive = () => broker.child.exitCode === null && broker.child.signalCode === null;
  const tlsEndpoint = (): Endpoint => ({ port: ports.TLS, tls: tlsClient });
  const canaries = async (value: string) => {
    await canaryRoundTrip(ports.PLAINTEXT, CANARY_TOPIC, `${value} plaintext`);
    await canaryRoundTrip(ports.SASL, CANARY_TOPIC, `${value} sasl-plain`, PLAIN_USER);
    await canaryRoundTrip(ports.SASL, CANARY_TOPIC, `${value} sasl-scram-user`, SCRAM_USER);
    await canaryRoundTrip(tlsEndpoint(), CANARY_TOPIC, `${value} tls`);
  };
  const handlerFailures = () =>
    broker
      .output()
      .split('\n')
      .filter((line) =>
        /handler failed|background task failed|could not be encoded|uncaught|unhandled/i.test(line),
      )
      .map(shortLogLine);

  beforeAll(async () => {
    if (!fs.existsSync(path.resolve('dist/cli/main.js'))) {
      throw new Error('the fuzz test runs the built CLI: run `npm run build` first');
    }
    dataDir = temporaryDataDir('fuzz-security');
    certs = makeTestCertificates(fs.mkdtempSync(path.join(dataDir, 'certs-')));
    const usersFile = path.join(dataDir, 'plain-users');
    fs.writeFileSync(usersFile, `${PLAIN_USER.user}=${PLAIN_USER.password}\n`);
    broker = await spawnBroker(dataDir, 0, [
      '--listeners',
      'PLAINTEXT://127.0.0.1:0,SASL://127.0.0.1:0,TLS://127.0.0.1:0',
      '--listener-security-protocol-map',
      'PLAINTEXT:PLAINTEXT,SASL:SASL_PLAINTEXT,TLS:SSL',
      '--ssl-certificate-file',
      certs.brokerCertificateFile,
      '--ssl-key-file',
      certs.brokerKeyFile,
      '--sasl-plain-users-file',
      usersFile,
      '--request-read-timeout-ms',
      String(READ_TIMEOUT_MS),
    ]);
    ports = listenerPorts(broker.output());
    expect(Object.keys(ports).sort()).toEqual(['PLAINTEXT', 'SASL', 'TLS']);
    tlsClient = { ca: fs.readFileSync(certs.caFile), servername: 'localhost' };
    ({ plans, keys: supportedKeys } = await prepare(ports.PLAINTEXT));
    await canaries('before');
  }, 60_000);

  afterAll(async () => {
    if (broker?.child.exitCode === null) {
      broker.child.kill('SIGTERM');
      await broker.exited;
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers or closes every broken SASL login (PLAIN and SCRAM, at each step), and keeps serving', async () => {
    console.log(`secured-listener fuzz: seed ${SEED} (set VENICE_FUZZ_SEED to replay another)`);
    const context = {
      port: ports.SASL,
      plain: PLAIN_USER,
      scram: SCRAM_USER,
      supportedKeys,
      plans,
      answerWithinMs: ANSWER_WITHIN_MS,
      incompleteWithinMs: INCOMPLETE_WITHIN_MS,
    };
    const result = await runFuzz(
      SASL_CONNECTIONS,
      SEED,
      (rng) => saslFuzzConnection(context, rng),
      canaries,
      alive,
    );
    printReport('SASL fuzz', result);
    expect(alive(), broker.output().slice(-5000)).toBe(true);
    expect(result.outcomes.map((outcome) => outcome.problem).filter(Boolean)).toEqual([]);
    expect(result.healthFailures).toEqual([]);
    // Every step of both flows was broken at least once.
    for (const step of [
      'PLAIN v0: handshake',
      'PLAIN v1: token',
      'SCRAM-SHA-512 v1: client-final',
      'logged-in',
    ]) {
      expect(
        result.outcomes.some((outcome) => outcome.label.includes(step)),
        step,
      ).toBe(true);
    }
    await canaries('after sasl');
    expect(handlerFailures().slice(0, 20)).toEqual([]);
  }, 120_000);

  it('closes every broken TLS connection (garbage, damaged ClientHello, bad records), and keeps serving', async () => {
    const context = {
      port: ports.TLS,
      tls: tlsClient,
      clientHellos: [
        await captureClientHello({ ...tlsClient, maxVersion: 'TLSv1.2' }),
        await captureClientHello({ ...tlsClient, maxVersion: 'TLSv1.3' }),
      ],
      plans,
      answerWithinMs: ANSWER_WITHIN_MS,
      incompleteWithinMs: INCOMPLETE_WITHIN_MS,
    };
    const result = await runFuzz(
      TLS_CONNECTIONS,
      SEED + 1,
      (rng) => tlsFuzzConnection(context, rng),
      canaries,
      alive,
    );
    printReport('TLS fuzz', result);
    expect(alive(), broker.output().slice(-5000)).toBe(true);
    expect(result.outcomes.map((outcome) => outcome.problem).filter(Boolean)).toEqual([]);
    expect(result.healthFailures).toEqual([]);
    await canaries('after tls');

    // A real client library on both secured listeners once the fuzz is over.
    const secured: [string, KafkaConfig][] = [
      [
        'SASL',
        {
          brokers: [],
          sasl: { mechanism: 'scram-sha-512', username: SCRAM_USER.user, password: SCRAM_USER.password },
        },
      ],
      ['TLS', { brokers: [], ssl: { ca: [fs.readFileSync(certs.caFile)] } }],
    ];
    for (const [listener, options] of secured) {
      const producer = new Kafka({
        ...options,
        clientId: 'venice-fuzz-kafkajs',
        brokers: [`127.0.0.1:${ports[listener]}`],
        logLevel: logLevel.NOTHING,
      }).producer();
      await producer.connect();
      try {
        const [sent] = await producer.send({
          topic: CANARY_TOPIC,
          messages: [{ value: `kafkajs ${listener}` }],
        });
        expect(sent.errorCode, listener).toBe(0);
      } finally {
        await producer.disconnect();
      }
    }
    expect(handlerFailures().slice(0, 20)).toEqual([]);
  }, 120_000);
});
