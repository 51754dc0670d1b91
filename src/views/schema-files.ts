// Reading a schema from a file, with its type inferred from the name and contents, and the
// `name=subject:version` reference syntax: shared by the CLI and the console's upload form.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SchemaReference, SchemaType } from '../serdes/types.js';

/** The schema type a file most likely holds: by extension, then by a look at its contents. */
export function inferSchemaType(fileName: string, text: string): SchemaType {
  const extension = path.extname(fileName).toLowerCase();
  if (extension === '.proto') return 'PROTOBUF';
  if (extension === '.avsc') return 'AVRO';
  if (/^\s*(syntax|package|message|import)\b/m.test(text) && !text.trimStart().startsWith('{'))
    return 'PROTOBUF';
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'string') return 'AVRO';
    if (Array.isArray(parsed)) return 'AVRO';
    if (parsed && typeof parsed === 'object') {
      const object = parsed as Record<string, unknown>;
      if (['record', 'enum', 'fixed'].includes(String(object.type))) return 'AVRO';
      return 'JSON';
    }
  } catch {
    // Not JSON: leave it to the registry to say what is wrong.
  }
  return 'AVRO';
}

export async function readSchemaFile(
  file: string,
  type?: SchemaType,
): Promise<{ schema: string; schemaType: SchemaType }> {
  const schema = await readFile(file, 'utf8');
  return { schema, schemaType: type ?? inferSchemaType(file, schema) };
}

/** Parses `name=subject:version` (the version may be `latest`, sent as -1). */
export function parseReference(text: string): SchemaReference {
  const match = /^([^=]+)=(.+):(\d+|latest)$/.exec(text.trim());
  if (!match) throw new Error(`a reference is name=subject:version, got ${JSON.stringify(text)}`);
  return { name: match[1], subject: match[2], version: match[3] === 'latest' ? -1 : Number(match[3]) };
}
