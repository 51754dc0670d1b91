// Every connector Venice ships, found by class name or alias (case-insensitive), as `connector.class` names them.
import type { ConnectorPlugin } from '../api/plugin.js';
import { findByClassName } from '../class-names.js';
import { fileStreamSinkPlugin, fileStreamSourcePlugin } from './file/index.js';
import { postgresSinkPlugin } from './postgres-sink/index.js';
import { postgresSourcePlugin } from './postgres-source/index.js';

export const CONNECTOR_PLUGINS: readonly ConnectorPlugin[] = [
  postgresSinkPlugin,
  postgresSourcePlugin,
  fileStreamSourcePlugin,
  fileStreamSinkPlugin,
];

export function findConnectorPlugin(name: string): ConnectorPlugin | undefined {
  return findByClassName(CONNECTOR_PLUGINS, name);
}
