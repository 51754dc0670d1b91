// `venice deploy kubernetes`: the manifests, as objects that the YAML library serializes.
// Kafka is a StatefulSet behind a headless Service (stable names for the KRaft quorum), PostgreSQL a
// StatefulSet with a volume claim, and each Venice service a Deployment and a Service with probes on /health.
import {
  KAFKA_BIN,
  KAFKA_CLIENT_PORT,
  KAFKA_CONTROLLER_PORT,
  KAFKA_DATA_DIR,
  KAFKA_IMAGE,
  KAFKA_NODE_COUNT,
  POSTGRES_DATA_DIR,
  POSTGRES_DATABASE,
  POSTGRES_IMAGE,
  POSTGRES_PORT,
  POSTGRES_URL_VARIABLE,
  POSTGRES_USER,
  VENICE_SERVICES,
  bootstrapServers,
  controllerQuorumVoters,
  kafkaClusterSettings,
  postgresUrl,
  serviceAddresses,
  type KafkaNode,
  type VeniceService,
} from './topology.js';

/** The fields of a Kubernetes object this module writes; the rest of each kind is its own interface. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels: Record<string, string> };
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

interface Probe {
  httpGet?: { path: string; port: number };
  exec?: { command: string[] };
  tcpSocket?: { port: number };
  initialDelaySeconds?: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports: { name: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef: { name: string } }[];
  volumeMounts?: { name: string; mountPath: string }[];
  readinessProbe: Probe;
  livenessProbe: Probe;
  resources: { requests: { cpu: string; memory: string } };
}

interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: {
    securityContext?: { fsGroup: number };
    containers: Container[];
    volumes?: { name: string; emptyDir: Record<string, never> }[];
  };
}

interface VolumeClaimTemplate {
  metadata: { name: string };
  spec: { accessModes: string[]; resources: { requests: { storage: string } } };
}

export interface StatefulSet extends KubernetesObject {
  kind: 'StatefulSet';
  spec: {
    serviceName: string;
    replicas: number;
    podManagementPolicy: 'Parallel' | 'OrderedReady';
    selector: { matchLabels: Record<string, string> };
    template: PodTemplate;
    volumeClaimTemplates: VolumeClaimTemplate[];
  };
}

export interface Deployment extends KubernetesObject {
  kind: 'Deployment';
  spec: {
    replicas: number;
    strategy?: { type: 'Recreate' | 'RollingUpdate' };
    selector: { matchLabels: Record<string, string> };
    template: PodTemplate;
  };
}

export interface Service extends KubernetesObject {
  kind: 'Service';
  spec: {
    clusterIP?: 'None';
    publishNotReadyAddresses?: boolean;
    selector: Record<string, string>;
    ports: { name: string; port: number; targetPort: number }[];
  };
}

export interface ConfigMap extends KubernetesObject {
  kind: 'ConfigMap';
  data: Record<string, string>;
}

export interface Secret extends KubernetesObject {
  kind: 'Secret';
  type: 'Opaque';
  stringData: Record<string, string>;
}

export type Manifest = StatefulSet | Deployment | Service | ConfigMap | Secret;

/** The manifests by file, in the order `kubectl apply` should meet them. */
export interface KubernetesManifests {
  files: { name: string; manifests: Manifest[] }[];
}

export interface KubernetesOptions {
  clusterId: string;
  postgresPassword: string;
  /** The Venice image, as the cluster pulls it (push the built image to a registry it can reach). */
  image: string;
  kafkaStorage: string;
  postgresStorage: string;
}

export const SETTINGS_CONFIG_MAP = 'venice-settings';
export const POSTGRES_SECRET = 'venice-postgres';
const KAFKA_SERVICE = 'kafka-headless';
/** The user the Kafka image runs as; the volume is made writable for its group. */
const KAFKA_IMAGE_GID = 1000;

const labels = (component: string): Record<string, string> => ({
  'app.kubernetes.io/name': component,
  'app.kubernetes.io/part-of': 'venice',
});

function metadata(name: string, component: string = name): KubernetesObject['metadata'] {
  return { name, labels: labels(component) };
}

/** Pods of a StatefulSet are named kafka-0, kafka-1, ... and reached as <pod>.<headless service>. */
const KUBERNETES_NODES: readonly KafkaNode[] = Array.from({ length: KAFKA_NODE_COUNT }, (_, index) => ({
  id: index,
  host: `kafka-${index}.${KAFKA_SERVICE}`,
}));

function kafkaManifests(options: KubernetesOptions): Manifest[] {
  const headless: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(KAFKA_SERVICE, 'kafka'),
    spec: {
      clusterIP: 'None',
      // The controllers must find each other before any of them is ready: the quorum forms first.
      publishNotReadyAddresses: true,
      selector: labels('kafka'),
      ports: [
        { name: 'client', port: KAFKA_CLIENT_PORT, targetPort: KAFKA_CLIENT_PORT },
        { name: 'controller', port: KAFKA_CONTROLLER_PORT, targetPort: KAFKA_CONTROLLER_PORT },
      ],
    },
  };
  const settings = kafkaClusterSettings();
  const env: EnvVar[] = [
    { name: 'CLUSTER_ID', value: options.clusterId },
    ...Object.entries(settings).map(([name, value]) => ({ name, value })),
    { name: 'KAFKA_CONTROLLER_QUORUM_VOTERS', value: controllerQuorumVoters(KUBERNETES_NODES) },
    {
      name: 'KAFKA_LISTENERS',
      value: `PLAINTEXT://:${KAFKA_CLIENT_PORT},CONTROLLER://:${KAFKA_CONTROLLER_PORT}`,
    },
    { name: 'KAFKA_LISTENER_SECURITY_PROTOCOL_MAP', value: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT' },
  ];
  // The node id and the advertised name come from the pod's name (kafka-2 is node 2), known only in the pod.
  const start = [
    'export KAFKA_NODE_ID="${HOSTNAME##*-}"',
    `export KAFKA_ADVERTISED_LISTENERS="PLAINTEXT://\${HOSTNAME}.${KAFKA_SERVICE}:${KAFKA_CLIENT_PORT}"`,
    'exec /etc/kafka/docker/run',
  ].join('\n');
  const statefulSet: StatefulSet = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: metadata('kafka'),
    spec: {
      serviceName: KAFKA_SERVICE,
      replicas: KAFKA_NODE_COUNT,
      // All nodes start together: one alone never becomes ready without its quorum.
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: labels('kafka') },
      template: {
        metadata: { labels: labels('kafka') },
        spec: {
          securityContext: { fsGroup: KAFKA_IMAGE_GID },
          containers: [
            {
              name: 'kafka',
              image: KAFKA_IMAGE,
              // args, not command: the image's entrypoint (its CA certificate setup) still runs first.
              args: ['sh', '-c', start],
              ports: [
                { name: 'client', containerPort: KAFKA_CLIENT_PORT },
                { name: 'controller', containerPort: KAFKA_CONTROLLER_PORT },
              ],
              env,
              volumeMounts: [{ name: 'data', mountPath: KAFKA_DATA_DIR }],
              readinessProbe: {
                exec: {
                  command: [
                    `${KAFKA_BIN}/kafka-broker-api-versions.sh`,
                    '--bootstrap-server',
                    `localhost:${KAFKA_CLIENT_PORT}`,
                  ],
                },
                initialDelaySeconds: 20,
                periodSeconds: 15,
                timeoutSeconds: 10,
                failureThreshold: 4,
              },
              livenessProbe: {
                tcpSocket: { port: KAFKA_CLIENT_PORT },
                initialDelaySeconds: 60,
                periodSeconds: 20,
                timeoutSeconds: 5,
                failureThreshold: 6,
              },
              resources: { requests: { cpu: '500m', memory: '1Gi' } },
            },
          ],
        },
      },
      volumeClaimTemplates: [claim('data', options.kafkaStorage)],
    },
  };
  return [headless, statefulSet];
}

function claim(name: string, storage: string): VolumeClaimTemplate {
  return {
    metadata: { name },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
  };
}

function postgresManifests(options: KubernetesOptions): Manifest[] {
  const secret: Secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadata(POSTGRES_SECRET, 'postgres'),
    type: 'Opaque',
    stringData: {
      POSTGRES_PASSWORD: options.postgresPassword,
      [POSTGRES_URL_VARIABLE]: postgresUrl('postgres', options.postgresPassword),
    },
  };
  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata('postgres'),
    spec: {
      selector: labels('postgres'),
      ports: [{ name: 'postgres', port: POSTGRES_PORT, targetPort: POSTGRES_PORT }],
    },
  };
  const ready: Probe = {
    exec: { command: ['pg_isready', '-U', POSTGRES_USER, '-d', POSTGRES_DATABASE] },
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 6,
  };
  const statefulSet: StatefulSet = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: metadata('postgres'),
    spec: {
      serviceName: 'postgres',
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      selector: { matchLabels: labels('postgres') },
      template: {
        metadata: { labels: labels('postgres') },
        spec: {
          containers: [
            {
              name: 'postgres',
              image: POSTGRES_IMAGE,
              ports: [{ name: 'postgres', containerPort: POSTGRES_PORT }],
              env: [
                { name: 'POSTGRES_USER', value: POSTGRES_USER },
                { name: 'POSTGRES_DB', value: POSTGRES_DATABASE },
                {
                  name: 'POSTGRES_PASSWORD',
                  valueFrom: { secretKeyRef: { name: POSTGRES_SECRET, key: 'POSTGRES_PASSWORD' } },
                },
                // A subfolder: the volume's root may hold lost+found, which initdb refuses.
                { name: 'PGDATA', value: `${POSTGRES_DATA_DIR}/pgdata` },
              ],
              volumeMounts: [{ name: 'data', mountPath: POSTGRES_DATA_DIR }],
              readinessProbe: ready,
              livenessProbe: { ...ready, initialDelaySeconds: 30 },
              resources: { requests: { cpu: '250m', memory: '256Mi' } },
            },
          ],
        },
      },
      volumeClaimTemplates: [claim('data', options.postgresStorage)],
    },
  };
  return [secret, service, statefulSet];
}

function settingsConfigMap(): ConfigMap {
  const addresses = serviceAddresses(bootstrapServers(KUBERNETES_NODES), (name) => name);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata(SETTINGS_CONFIG_MAP, 'venice'),
    // The variables the venice commands read for what their flags leave out.
    data: {
      VENICE_BOOTSTRAP_SERVERS: addresses.bootstrapServers,
      VENICE_REGISTRY_URL: addresses.registryUrl,
      VENICE_SQL_URL: addresses.sqlUrl,
      VENICE_CONNECT_URL: addresses.connectUrl,
      VENICE_LOG_LEVEL: 'info',
    },
  };
}

/** A flag's value taken from the settings ConfigMap, expanded by Kubernetes in the container's args. */
function fromSettings(variable: string): string {
  return `$(${variable})`;
}

function veniceManifests(service: VeniceService, image: string): Manifest[] {
  const addresses = {
    bootstrapServers: fromSettings('VENICE_BOOTSTRAP_SERVERS'),
    registryUrl: fromSettings('VENICE_REGISTRY_URL'),
    sqlUrl: fromSettings('VENICE_SQL_URL'),
    connectUrl: fromSettings('VENICE_CONNECT_URL'),
  };
  const health = (delay: number, failures: number): Probe => ({
    httpGet: { path: '/health', port: service.port },
    initialDelaySeconds: delay,
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: failures,
  });
  const deployment: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(service.name),
    spec: {
      replicas: 1,
      selector: { matchLabels: labels(service.name) },
      template: {
        metadata: { labels: labels(service.name) },
        spec: {
          containers: [
            {
              name: service.name,
              image,
              args: service.args(addresses),
              ports: [{ name: 'http', containerPort: service.port }],
              envFrom: [{ configMapRef: { name: SETTINGS_CONFIG_MAP } }],
              ...(service.usesPostgres
                ? {
                    env: [
                      {
                        name: POSTGRES_URL_VARIABLE,
                        valueFrom: { secretKeyRef: { name: POSTGRES_SECRET, key: POSTGRES_URL_VARIABLE } },
                      },
                    ],
                  }
                : {}),
              // The SQL engine's state stores are a cache of changelog topics: a new pod restores them.
              ...(service.stateDir === undefined
                ? {}
                : { volumeMounts: [{ name: 'state', mountPath: service.stateDir }] }),
              // Ready once its topics are read; restarted only after a long silence (a replay is not a hang).
              readinessProbe: health(5, 3),
              livenessProbe: health(60, 6),
              resources: { requests: { cpu: '250m', memory: '512Mi' } },
            },
          ],
          ...(service.stateDir === undefined ? {} : { volumes: [{ name: 'state', emptyDir: {} }] }),
        },
      },
    },
  };
  const httpService: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(service.name),
    spec: {
      selector: labels(service.name),
      ports: [{ name: 'http', port: service.port, targetPort: service.port }],
    },
  };
  return [deployment, httpService];
}

export function kubernetesManifests(options: KubernetesOptions): KubernetesManifests {
  return {
    files: [
      { name: 'settings.yaml', manifests: [settingsConfigMap()] },
      { name: 'kafka.yaml', manifests: kafkaManifests(options) },
      { name: 'postgres.yaml', manifests: postgresManifests(options) },
      ...VENICE_SERVICES.map((service) => ({
        name: `${service.name}.yaml`,
        manifests: veniceManifests(service, options.image),
      })),
    ],
  };
}

/** kustomization.yaml: `kubectl apply -k <dir>` applies every file, in a namespace of the user's choice. */
export interface Kustomization {
  apiVersion: 'kustomize.config.k8s.io/v1beta1';
  kind: 'Kustomization';
  resources: string[];
}

export function kustomization(manifests: KubernetesManifests): Kustomization {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: manifests.files.map((file) => file.name),
  };
}
