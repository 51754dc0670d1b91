// `venice deploy kubernetes`: every manifest passes the Kubernetes schema, and the shape holds: Kafka a
// 3-replica KRaft StatefulSet behind a headless Service, PostgreSQL with a claim, Venice services probed on /health.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  kubernetesManifests,
  POSTGRES_SECRET,
  SETTINGS_CONFIG_MAP,
  type Deployment,
  type Manifest,
  type Service,
  type StatefulSet,
} from '../../src/deploy/kubernetes.js';
import { kubernetesFiles } from '../../src/deploy/project.js';
import { VENICE_SERVICES } from '../../src/deploy/topology.js';
import { KUBERNETES_PROJECT } from './fixtures.js';
import { loadSchemaValidator } from './kubernetes-schemas.js';

const manifests = kubernetesManifests({
  ...KUBERNETES_PROJECT,
  image: 'venice-pipeline:0.1.0',
}).files.flatMap((file) => file.manifests);

function find<K extends Manifest['kind']>(kind: K, name: string): Extract<Manifest, { kind: K }> {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name}`);
  return found as Extract<Manifest, { kind: K }>;
}

const validator = await loadSchemaValidator();

describe.skipIf(typeof validator === 'string')(
  `the manifests against the Kubernetes schemas${typeof validator === 'string' ? ` (skipped: ${validator})` : ''}`,
  () => {
    it('every object written to the files is valid', () => {
      const validate = validator as Exclude<typeof validator, string>;
      const files = kubernetesFiles(KUBERNETES_PROJECT).filter(
        (f) => f.path.endsWith('.yaml') && f.path !== 'kustomization.yaml',
      );
      let count = 0;
      for (const file of files)
        for (const document of parseAllDocuments(file.content)) {
          if (!('toJS' in document)) throw new Error(`${file.path}: not YAML`);
          expect(document.errors).toEqual([]);
          const object = document.toJS() as { apiVersion: string; kind: string; metadata: { name: string } };
          expect(
            () => validate(object),
            `${file.path}: ${object.kind} ${object.metadata.name}`,
          ).not.toThrow();
          count++;
        }
      expect(count).toBe(manifests.length);
    });

    it('and the check has teeth: a wrongly typed field fails', () => {
      const validate = validator as Exclude<typeof validator, string>;
      const broken = structuredClone(find('StatefulSet', 'kafka')) as unknown as {
        spec: { replicas: unknown };
      };
      broken.spec.replicas = 'three';
      expect(() => validate(broken as unknown as StatefulSet)).toThrow(/replicas/);
    });
  },
);

describe('venice deploy kubernetes: the manifests', () => {
  it('run Kafka as three KRaft nodes that start together and find each other before they are ready', () => {
    const kafka: StatefulSet = find('StatefulSet', 'kafka');
    const headless: Service = find('Service', kafka.spec.serviceName);
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    expect(kafka.spec.replicas).toBe(3);
    expect(kafka.spec.podManagementPolicy).toBe('Parallel');
    const container = kafka.spec.template.spec.containers[0];
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(
      '0@kafka-0.kafka-headless:9093,1@kafka-1.kafka-headless:9093,2@kafka-2.kafka-headless:9093',
    );
    expect(env.KAFKA_DEFAULT_REPLICATION_FACTOR).toBe('3');
    expect(env.KAFKA_MIN_INSYNC_REPLICAS).toBe('2');
    expect(env.CLUSTER_ID).toBe(KUBERNETES_PROJECT.clusterId);
    // The node id comes from the pod's ordinal, set by the start script.
    expect(container.args?.join(' ')).toContain('KAFKA_NODE_ID="${HOSTNAME##*-}"');
    expect(kafka.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('20Gi');
  });

  it('keep PostgreSQL on a claim, its password in a Secret', () => {
    const postgres: StatefulSet = find('StatefulSet', 'postgres');
    expect(postgres.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    const password = postgres.spec.template.spec.containers[0].env?.find(
      (e) => e.name === 'POSTGRES_PASSWORD',
    );
    expect(password?.valueFrom?.secretKeyRef.name).toBe(POSTGRES_SECRET);
    expect(find('Secret', POSTGRES_SECRET).stringData.POSTGRES_PASSWORD).toBe(
      KUBERNETES_PROJECT.postgresPassword,
    );
  });

  for (const service of VENICE_SERVICES)
    it(`run ${service.name} as a Deployment and a Service, probed on /health, set from the ConfigMap`, () => {
      const deployment: Deployment = find('Deployment', service.name);
      const container = deployment.spec.template.spec.containers[0];
      expect(container.image).toBe('venice-pipeline:0.1.0');
      expect(container.args?.[0]).toBe(service.name);
      expect(container.args).toContain('$(VENICE_BOOTSTRAP_SERVERS)');
      expect(container.envFrom).toEqual([{ configMapRef: { name: SETTINGS_CONFIG_MAP } }]);
      for (const probe of [container.readinessProbe, container.livenessProbe])
        expect(probe.httpGet).toEqual({ path: '/health', port: service.port });
      expect(find('Service', service.name).spec.ports).toEqual([
        { name: 'http', port: service.port, targetPort: service.port },
      ]);
      if (service.usesPostgres)
        expect(container.env?.[0].valueFrom?.secretKeyRef).toEqual({
          name: POSTGRES_SECRET,
          key: 'VENICE_POSTGRES_URL',
        });
    });

  it('the ConfigMap names every node for bootstrap, and the services by their Service names', () => {
    expect(find('ConfigMap', SETTINGS_CONFIG_MAP).data).toMatchObject({
      VENICE_BOOTSTRAP_SERVERS:
        'kafka-0.kafka-headless:9092,kafka-1.kafka-headless:9092,kafka-2.kafka-headless:9092',
      VENICE_REGISTRY_URL: 'http://registry:8081',
      VENICE_SQL_URL: 'http://sql:8088',
      VENICE_CONNECT_URL: 'http://connect:8083',
    });
  });

  it('kustomization.yaml lists every manifest file, and only the Secret file is private', () => {
    const files = kubernetesFiles(KUBERNETES_PROJECT);
    const kustomization = files.find((f) => f.path === 'kustomization.yaml')!.content;
    for (const file of files.filter((f) => f.path.endsWith('.yaml') && f.path !== 'kustomization.yaml'))
      expect(kustomization).toContain(`- ${file.path}`);
    expect(files.filter((f) => f.secret === true).map((f) => f.path)).toEqual(['postgres.yaml']);
  });
});
