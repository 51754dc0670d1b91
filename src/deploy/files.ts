// Writes a generated project to its folder. Files that exist are left alone unless forced: they may hold
// the secrets (cluster id, password) of a deployment that is already running.
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

export interface ProjectFile {
  /** Relative to the project folder, with / separators. */
  path: string;
  content: string;
  /** Holds secrets: readable by its owner only. */
  secret?: boolean;
}

export class ExistingFilesError extends Error {
  constructor(readonly files: readonly string[]) {
    super(`${files.length === 1 ? 'a file' : 'files'} already there: ${files.join(', ')}`);
    this.name = 'ExistingFilesError';
  }
}

/** YAML as the generators want it: no folded lines, no anchors for repeated values, a header comment. */
export function yamlFile(header: string, value: unknown): string {
  return `# ${header}\n${stringify(value, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}

/** Several objects in one YAML stream, as kubectl reads them. */
export function yamlStream(header: string, values: readonly unknown[]): string {
  const documents = values.map((value) => stringify(value, { lineWidth: 0, aliasDuplicateObjects: false }));
  return `# ${header}\n${documents.join('---\n')}`;
}

/** Writes every file under `directory`; throws ExistingFilesError (writing nothing) if one exists, unless `force`. */
export function writeProject(directory: string, files: readonly ProjectFile[], force: boolean): string[] {
  const targets = files.map((file) => ({ file, target: path.join(directory, ...file.path.split('/')) }));
  if (!force) {
    const existing = targets.filter(({ target }) => fs.existsSync(target)).map(({ file }) => file.path);
    if (existing.length > 0) throw new ExistingFilesError(existing);
  }
  for (const { file, target } of targets) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content, { mode: file.secret === true ? 0o600 : 0o644 });
    // The mode above applies to a new file only; an overwritten secret is narrowed too.
    if (file.secret === true) fs.chmodSync(target, 0o600);
  }
  return targets.map(({ target }) => target);
}
