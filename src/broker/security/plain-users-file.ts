// The static PLAIN users (sasl.plain.users.file): one "name=password" a line, "#" starts a comment. It
// plays the part of Kafka's JAAS `user_<name>="<password>"` entries.
import fs from 'node:fs';

export function loadPlainUsers(file: string): Map<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read the PLAIN users file ${file} (--sasl-plain-users-file): ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const users = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const equals = line.indexOf('=');
    if (equals <= 0) {
      // The line itself is not quoted: it may be a password written without its name.
      throw new Error(`${file} line ${index + 1}: expected "name=password" (a name, "=", then the password)`);
    }
    users.set(line.slice(0, equals).trim(), line.slice(equals + 1));
  });
  return users;
}
