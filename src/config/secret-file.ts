// Passwords kept in files (kafka.saslPasswordFile, http.passwordFile), so venice.yaml can be shared and
// committed while the secrets stay in files only their owner reads.
import fs from 'node:fs';
import { ConfigError } from './errors.js';

/** The password on the file's first line; `setting` names where the file was given, for messages. */
export function readSecretFile(file: string, setting: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `${setting}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      'write the password on its first line, readable by you only (chmod 600), or fix the path',
    );
  }
  const password = text.split(/\r?\n/, 1)[0] ?? '';
  if (password === '')
    throw new ConfigError(`${setting}: ${file} is empty`, 'write the password on its first line');
  return password;
}

/** A setting's value and the rank of the source that gave it: 0 flags, 1 environment, 2 venice.yaml, 3 default. */
export interface Ranked<T> {
  value: T;
  rank: number;
}

/**
 * The password, from itself or its file, whichever a source of higher precedence gave (a component
 * gets the password in its environment while venice.yaml names the file); both from one source is a
 * mistake.
 */
export function passwordOf(
  given: Ranked<string | null>,
  fileGiven: Ranked<string | null>,
  names: { password: string; file: string },
): string | null {
  const password = given.value;
  const file = fileGiven.value;
  if (password !== null && file !== null && given.rank !== fileGiven.rank)
    return given.rank < fileGiven.rank ? password : readSecretFile(file, names.file);
  if (password !== null && file !== null)
    throw new ConfigError(
      `both ${names.password} and ${names.file} are set`,
      `keep one: ${names.file} keeps the password out of venice.yaml and the environment`,
    );
  return file === null ? password : readSecretFile(file, names.file);
}
