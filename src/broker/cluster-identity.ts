// The cluster id and node id, kept in meta.properties so clients see the same cluster after a restart.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface ClusterIdentity {
  clusterId: string;
  nodeId: number;
}

export function loadOrCreateIdentity(dataDir: string, nodeId: number): ClusterIdentity {
  const file = path.join(dataDir, 'meta.properties');
  if (fs.existsSync(file)) {
    const properties = new Map<string, string>();
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const match = /^\s*([^#=\s][^=]*)=(.*)$/.exec(line);
      if (match) properties.set(match[1].trim(), match[2].trim());
    }
    const clusterId = properties.get('cluster.id');
    if (clusterId) return { clusterId, nodeId: Number(properties.get('node.id') ?? nodeId) };
  }
  // Kafka cluster ids are 16 random bytes in URL-safe base64 without padding.
  const clusterId = crypto.randomBytes(16).toString('base64url');
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(
    file,
    `# Written by Venice on first start.\nversion=1\ncluster.id=${clusterId}\nnode.id=${nodeId}\n`,
    { mode: 0o600 },
  );
  return { clusterId, nodeId };
}
