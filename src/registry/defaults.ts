// The registry's defaults, in a module without dependencies so the CLI can show them cheaply.
export const DEFAULT_REGISTRY_PORT = 8081;
export const DEFAULT_SCHEMAS_TOPIC = '_schemas';
export const DEFAULT_REGISTRY_URL = `http://127.0.0.1:${DEFAULT_REGISTRY_PORT}`;
