// The version GET / reports: Venice's, from the package.json shipped with it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function veniceVersion(): string {
  if (cached !== undefined) return cached;
  cached = 'unknown';
  // Source and compiled layouts sit at different depths: walk up to the package's manifest.
  let folder = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const manifest = path.join(folder, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string };
      cached = parsed.version ?? 'unknown';
      break;
    }
    folder = path.dirname(folder);
  }
  return cached;
}
