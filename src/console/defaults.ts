// The console's defaults, importable without loading the server.
export const DEFAULT_CONSOLE_PORT = 9000;
/** The most records one browse request returns. */
export const MAX_BROWSE_LIMIT = 500;
export const DEFAULT_BROWSE_LIMIT = 50;
