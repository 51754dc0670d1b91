// One broker and one schema registry for the whole run, in this process, and the clean slate between
// cases: topics and subjects a case made are deleted after it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBroker, type RunningBroker } from '../../src/broker/main.js';
import { openKafka, type Kafka } from '../../src/client/index.js';
import { startRegistry, type RunningRegistry } from '../../src/registry/service.js';
import { silentLogger } from '../../src/service/index.js';
import { RegistryClient } from './registry-client.js';

export interface Harness {
  readonly bootstrap: string;
  readonly kafka: Kafka;
  readonly registry: RegistryClient;
  /** Deletes the topics and subjects the last case left (all but the registry's and Kafka's own). */
  cleanSlate(): Promise<void>;
  stop(): Promise<void>;
}

const REGISTRY_TOPIC = '_schemas';

export async function startHarness(): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-conformance-broker-'));
  const broker: RunningBroker = await startBroker(
    { port: 0, dataDir, groupInitialRebalanceDelayMs: 0, autoCreateTopics: false },
    silentLogger(),
  );
  const bootstrap = `127.0.0.1:${broker.port}`;
  let registryService: RunningRegistry | undefined;
  try {
    registryService = await startRegistry({
      bootstrapServers: bootstrap,
      port: 0,
      topic: REGISTRY_TOPIC,
      logger: silentLogger(),
    });
  } catch (error) {
    await broker.stop();
    throw error;
  }
  const registry = new RegistryClient(registryService.url);
  await registry.allowAnySchema();
  const kafka = openKafka({ bootstrapServers: bootstrap, clientId: 'venice-conformance' });
  const kept = (name: string) => name === REGISTRY_TOPIC || name.startsWith('__');
  return {
    bootstrap,
    kafka,
    registry,
    async cleanSlate() {
      const topics = (await kafka.topics.list({ includeInternal: true })).map((topic) => topic.name);
      const doomed = topics.filter((name) => !kept(name));
      if (doomed.length > 0) await kafka.topics.delete(doomed);
      await registry.deleteAllSubjects();
    },
    async stop() {
      await kafka.close();
      await registryService?.stop();
      await broker.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
