// A configuration problem, told with where it came from and how to fix it.
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
