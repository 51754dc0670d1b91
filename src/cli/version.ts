// The version `venice --version` prints: the package's own, read from the package.json shipped with it
// (two levels above both src/cli/ and dist/cli/).
import { readFileSync } from 'node:fs';

export function veniceVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? 'unknown';
}
