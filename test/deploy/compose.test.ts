// `venice deploy compose`: the project's shape (3 KRaft nodes replicating 3 ways, health-gated start,
// volumes for state) and its validity for Compose itself, through Debian's docker-compose `config`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeProject, type ComposeProject } from '../../src/deploy/compose.js';
import { writeProject } from '../../src/deploy/files.js';
import { COMPOSE_FILE, composeFiles } from '../../src/deploy/project.js';
import { VENICE_SERVICES } from '../../src/deploy/topology.js';
import { DOCKER_COMPOSE, missingTool } from '../helpers/system-tools.js';
import { PROJECT } from './fixtures.js';

const project = composeProject({
  clusterId: PROJECT.clusterId,
  image: 'venice-pipeline:0.1.0',
  packageSpec: './x.tgz',
});
const KAFKA = ['kafka-1', 'kafka-2', 'kafka-3'];

describe('venice deploy compose: the project', () => {
  it('runs three Kafka nodes in KRaft mode, each a broker and a controller of one quorum', () => {
    for (const [index, name] of KAFKA.entries()) {
      const env = project.services[name].environment!;
      expect(project.services[name].image).toMatch(/^apache\/kafka:\d+\.\d+\.\d+$/);
      expect(env.KAFKA_NODE_ID).toBe(String(index + 1));
      expect(env.CLUSTER_ID).toBe(PROJECT.clusterId);
      expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
      expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe('1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093');
      expect(env.KAFKA_ADVERTISED_LISTENERS).toContain(`PLAINTEXT://${name}:9092`);
      expect(env.KAFKA_DEFAULT_REPLICATION_FACTOR).toBe('3');
      expect(env.KAFKA_MIN_INSYNC_REPLICAS).toBe('2');
      expect(env.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR).toBe('3');
      expect(project.services[name].healthcheck.test.slice(0, 2)).toEqual([
        'CMD',
        '/opt/kafka/bin/kafka-broker-api-versions.sh',
      ]);
    }
  });

  it('starts each Venice service once what it needs is healthy, and checks its /health without curl', () => {
    for (const service of VENICE_SERVICES) {
      const composed = project.services[service.name];
      expect(composed.command?.[0]).toBe(service.name);
      expect(composed.command?.join(' ')).toContain(
        '--bootstrap-servers kafka-1:9092,kafka-2:9092,kafka-3:9092',
      );
      const needs = Object.keys(composed.depends_on ?? {});
      expect(needs).toEqual(expect.arrayContaining([...KAFKA, ...service.needs]));
      if (service.usesPostgres) expect(needs).toContain('postgres');
      for (const condition of Object.values(composed.depends_on ?? {}))
        expect(condition.condition).toBe('service_healthy');
      expect(composed.healthcheck.test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
      expect(composed.healthcheck.test[3]).toContain(`http://127.0.0.1:${service.port}/health`);
    }
  });

  it('keeps every stateful part on a named volume', () => {
    const declared = Object.keys(project.volumes);
    expect(declared).toEqual(
      expect.arrayContaining(['kafka-1-data', 'kafka-2-data', 'kafka-3-data', 'postgres-data', 'sql-state']),
    );
    for (const service of Object.values(project.services))
      for (const volume of service.volumes ?? []) expect(declared).toContain(volume.split(':')[0]);
  });

  it('never waits with a sleep, and keeps the password out of the YAML', () => {
    const files = composeFiles(PROJECT);
    const compose = files.find((file) => file.path === COMPOSE_FILE)!.content;
    expect(compose).not.toMatch(/\bsleep\b/);
    expect(compose).not.toContain(PROJECT.postgresPassword);
    expect(files.find((file) => file.path === '.env')).toMatchObject({ secret: true });
    expect(files.find((file) => file.path === '.env')?.content).toContain(
      `POSTGRES_PASSWORD=${PROJECT.postgresPassword}`,
    );
    // The YAML reads back as the objects it was written from.
    expect(parse(compose) as ComposeProject).toEqual(
      composeProject({
        clusterId: PROJECT.clusterId,
        image: 'venice-pipeline:0.1.0',
        packageSpec: `./${PROJECT.tarball}`,
      }),
    );
  });

  it('builds the image from this package: node:22-slim, the tarball in its folder, no dev dependencies', () => {
    const files = composeFiles(PROJECT);
    const dockerfile = files.find((file) => file.path === 'venice/Dockerfile')!.content;
    expect(dockerfile).toMatch(/^FROM node:22-slim$/m);
    expect(dockerfile).toContain('npm install --global --omit=dev');
    expect(dockerfile).toContain('ENTRYPOINT ["venice"]');
    expect(project.services.sql.build).toEqual({ context: './venice', args: { VENICE_PACKAGE: './x.tgz' } });
  });
});

const missingCompose = missingTool(DOCKER_COMPOSE);

describe.skipIf(missingCompose !== null)(
  `docker-compose config${missingCompose ? ` (skipped: ${missingCompose})` : ''}`,
  () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-compose-'));
    afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

    it('accepts the written project, with the password from .env', () => {
      writeProject(folder, composeFiles(PROJECT), false);
      const check = spawnSync('docker-compose', ['config'], {
        cwd: folder,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(check.stderr).toBe('');
      expect(check.status).toBe(0);
      const resolved = parse(check.stdout) as {
        services: Record<string, { environment?: Record<string, string> }>;
      };
      expect(Object.keys(resolved.services).sort()).toEqual(
        [...KAFKA, 'connect', 'console', 'postgres', 'registry', 'sql'].sort(),
      );
      expect(resolved.services.postgres.environment?.POSTGRES_PASSWORD).toBe(PROJECT.postgresPassword);
      expect(resolved.services.connect.environment?.VENICE_POSTGRES_URL).toBe(
        `postgres://venice:${PROJECT.postgresPassword}@postgres:5432/venice`,
      );
    });

    it('refuses a project whose .env lost the password', () => {
      const bare = fs.mkdtempSync(path.join(folder, 'bare-'));
      writeProject(
        bare,
        composeFiles(PROJECT).filter((file) => file.path !== '.env'),
        false,
      );
      const check = spawnSync('docker-compose', ['config', '-q'], {
        cwd: bare,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, POSTGRES_PASSWORD: '' },
      });
      expect(check.status).not.toBe(0);
      expect(check.stderr).toContain('set it in .env');
    });
  },
);
