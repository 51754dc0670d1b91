// The registry's defaults, in a module that loads nothing heavy so the CLI can show them cheaply. The
// port comes from the settings table, like every other default port.
import { DEFAULT_HOST, DEFAULT_PORTS } from '../config/settings.js';

export const DEFAULT_REGISTRY_PORT = DEFAULT_PORTS.registry;
export const DEFAULT_SCHEMAS_TOPIC = '_schemas';
export const DEFAULT_REGISTRY_URL = `http://${DEFAULT_HOST}:${DEFAULT_REGISTRY_PORT}`;
