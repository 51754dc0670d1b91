// `venice deploy` as a user runs it: the files land in --out, an existing project is not overwritten
// (its secrets would change) without --force, and the image gets this package packed beside its Dockerfile.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runVenice } from '../cli/run-venice.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-deploy-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('venice deploy', { timeout: 120_000 }, () => {
  it('compose --no-pack writes the project, with new secrets and the published package', async () => {
    const out = path.join(root, 'compose');
    const result = await runVenice(['deploy', 'compose', '--out', out, '--no-pack']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('docker-compose.yml');
    const compose = parse(fs.readFileSync(path.join(out, 'docker-compose.yml'), 'utf8')) as {
      services: Record<
        string,
        { environment?: Record<string, string>; build?: { args: Record<string, string> } }
      >;
    };
    expect(compose.services['kafka-1'].environment?.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(compose.services.registry.build?.args.VENICE_PACKAGE).toMatch(/^venice-pipeline@\d+\.\d+\.\d+/);
    expect(fs.statSync(path.join(out, '.env')).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(out, '.env'), 'utf8')).toMatch(/^POSTGRES_PASSWORD=[0-9a-f]{36}$/m);
  });

  it('leaves an existing project alone without --force, and keeps a given cluster id with it', async () => {
    const out = path.join(root, 'compose');
    const before = fs.readFileSync(path.join(out, '.env'), 'utf8');
    const refused = await runVenice(['deploy', 'compose', '--out', out, '--no-pack']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already holds');
    expect(refused.stderr).toContain('--force');
    expect(fs.readFileSync(path.join(out, '.env'), 'utf8')).toBe(before);

    const clusterId = 'MkU3OEVBNTcwNTJENDM2Qk';
    const forced = await runVenice([
      'deploy',
      'compose',
      '--out',
      out,
      '--no-pack',
      '--force',
      '--cluster-id',
      clusterId,
    ]);
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'docker-compose.yml'), 'utf8')).toContain(
      `CLUSTER_ID: ${clusterId}`,
    );
  });

  it('refuses a cluster id Kafka would refuse, saying what one looks like', async () => {
    const result = await runVenice([
      'deploy',
      'compose',
      '--out',
      path.join(root, 'bad'),
      '--cluster-id',
      'abc',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('22 characters');
    expect(fs.existsSync(path.join(root, 'bad'))).toBe(false);
  });

  it('kubernetes packs this package into the image folder and names it in the README', async () => {
    const out = path.join(root, 'k8s');
    const result = await runVenice([
      'deploy',
      'kubernetes',
      '--out',
      out,
      '--image',
      'registry.example/venice:1',
      '--kafka-storage',
      '50Gi',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const version = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string }).version;
    const tarball = `venice-pipeline-${version}.tgz`;
    expect(fs.statSync(path.join(out, 'venice', tarball)).size).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(out, 'README.md'), 'utf8')).toContain(
      `--build-arg VENICE_PACKAGE=./${tarball}`,
    );
    expect(fs.readFileSync(path.join(out, 'sql.yaml'), 'utf8')).toContain('image: registry.example/venice:1');
    expect(fs.readFileSync(path.join(out, 'kafka.yaml'), 'utf8')).toContain('storage: 50Gi');
  });

  it('rejects a volume size Kubernetes would not read', async () => {
    const result = await runVenice([
      'deploy',
      'kubernetes',
      '--out',
      path.join(root, 'bad'),
      '--kafka-storage',
      'lots',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('20Gi');
  });
});
