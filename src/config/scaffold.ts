// `venice install`: copies a project template (templates/<name>/) into a directory, refusing to
// overwrite files that exist unless forced.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** templates/ of this installation; the same from src/ and dist/, two levels down. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));
export const DEFAULT_TEMPLATE = 'ecommerce';
/** Describes a template; not copied. */
const MANIFEST = 'template.json';
/** npm leaves files named .gitignore out of packages, so templates ship them under another name. */
const RENAMED: Readonly<Record<string, string>> = { gitignore: '.gitignore' };

export interface TemplateInfo {
  name: string;
  description: string;
}

export function listTemplates(templatesDir = TEMPLATES_DIR): TemplateInfo[] {
  let names: string[];
  try {
    names = fs
      .readdirSync(templatesDir)
      .filter((name) => fs.existsSync(path.join(templatesDir, name, MANIFEST)));
  } catch {
    return [];
  }
  return names.sort().map((name) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(templatesDir, name, MANIFEST), 'utf8')) as {
      description?: string;
    };
    return { name, description: manifest.description ?? '' };
  });
}

export class ScaffoldError extends Error {
  override name = 'ScaffoldError';
  constructor(
    message: string,
    readonly kind: 'unknown-template' | 'exists',
    readonly files: string[] = [],
  ) {
    super(message);
  }
}

export interface ScaffoldResult {
  /** Paths relative to the target directory. */
  written: string[];
  overwritten: string[];
}

export function scaffold(
  targetDir: string,
  template: string,
  options: { force?: boolean; templatesDir?: string } = {},
): ScaffoldResult {
  const templatesDir = options.templatesDir ?? TEMPLATES_DIR;
  const source = path.join(templatesDir, template);
  if (!/^[a-z0-9-]+$/.test(template) || !fs.existsSync(path.join(source, MANIFEST))) {
    throw new ScaffoldError(`there is no template named "${template}"`, 'unknown-template');
  }
  const files = listFiles(source).filter((file) => file !== MANIFEST);
  const target = (file: string) => {
    const parts = file.split(path.sep);
    parts[parts.length - 1] = RENAMED[parts[parts.length - 1]] ?? parts[parts.length - 1];
    return parts.join(path.sep);
  };
  const existing = files.map(target).filter((file) => fs.existsSync(path.join(targetDir, file)));
  if (existing.length > 0 && !options.force) {
    throw new ScaffoldError(`${existing.length} file(s) already exist in ${targetDir}`, 'exists', existing);
  }
  for (const file of files) {
    const destination = path.join(targetDir, target(file));
    fs.mkdirSync(path.dirname(destination), { recursive: true });
    fs.copyFileSync(path.join(source, file), destination);
  }
  return { written: files.map(target), overwritten: existing };
}

function listFiles(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) =>
      entry.isDirectory() ? listFiles(dir, path.join(prefix, entry.name)) : [path.join(prefix, entry.name)],
    );
}
