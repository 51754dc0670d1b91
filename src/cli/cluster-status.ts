// What `venice status` says of an external Kafka cluster: its id, controller and brokers, and a
// warning for each internal topic with one replica (lost with its broker). Asked with a short timeout:
// status must answer even when the cluster does not.
import type { KafkaClientSettings } from '../client/index.js';
import type { ClusterView } from '../views/cluster.js';

export type ClusterStatus = ({ reachable: true } & ClusterView) | { reachable: false; error: string };

export async function externalClusterStatus(
  bootstrapServers: string,
  settings: KafkaClientSettings,
): Promise<ClusterStatus> {
  const [{ openKafka }, { describeClusterView }] = await Promise.all([
    import('../client/index.js'),
    import('../views/cluster.js'),
  ]);
  let kafka: ReturnType<typeof openKafka> | undefined;
  try {
    kafka = openKafka({
      ...settings,
      bootstrapServers,
      clientId: 'venice-status',
      connectTimeoutMs: 3_000,
      requestTimeoutMs: 5_000,
    });
    return { reachable: true, ...(await describeClusterView(kafka)) };
  } catch (error) {
    return { reachable: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    await kafka?.close();
  }
}

export function renderClusterStatus(status: ClusterStatus): string[] {
  if (!status.reachable) return [`Kafka cluster: not answering (${status.error})`];
  const brokers = status.brokers.map((broker) => `${broker.id}@${broker.host}:${broker.port}`).join(', ');
  const lines = [
    `Kafka cluster ${status.clusterId ?? '(id unknown)'}: controller ${status.controllerId}, ` +
      `${status.brokers.length} broker(s): ${brokers}`,
  ];
  if (status.unreplicatedInternalTopics.length > 0)
    lines.push(
      `warning: ${status.unreplicatedInternalTopics.length} internal topic(s) have replication factor 1 and ` +
        `are lost with their broker: ${status.unreplicatedInternalTopics.join(', ')} ` +
        '(recreate them on a cluster of 3 or more brokers, or set kafka.replicationFactor)',
    );
  return lines;
}
