// What a cluster says of itself in a Metadata answer: its id, its controller and its brokers.
import type { KafkaConnection } from './connection.js';
import type { ClusterDescription } from './types.js';

export async function describeCluster(kafka: KafkaConnection): Promise<ClusterDescription> {
  return kafka.call(undefined, async () => {
    const metadata = await kafka.admin.metadata({ topics: [], forceUpdate: true });
    const brokers = [...metadata.brokers.entries()]
      .map(([id, broker]) => ({ id, host: broker.host, port: broker.port }))
      .sort((a, b) => a.id - b.id);
    return {
      clusterId: metadata.id === '' ? null : (metadata.id ?? null),
      controllerId: metadata.controllerId,
      brokers,
    };
  });
}
