// Option parsers of the schema commands, and reading the schema file a command was given.
import { InvalidArgumentError } from 'commander';
// The constants come from the serdes' dependency-free types module, to keep the CLI quick to start.
import {
  COMPATIBILITY_LEVELS,
  SCHEMA_TYPES,
  type CompatibilityLevel,
  type SchemaReference,
  type SchemaType,
} from '../serdes/types.js';
import type { SchemaInput } from '../serdes/client.js';
import { parseReference, readSchemaFile } from '../views/schema-files.js';
import { CliError, ExitCode } from './output.js';

export function typeOption(value: string): SchemaType {
  const upper = value.toUpperCase();
  if (!(SCHEMA_TYPES as readonly string[]).includes(upper))
    throw new InvalidArgumentError(`expected one of ${SCHEMA_TYPES.join(', ')}.`);
  return upper as SchemaType;
}

export function levelOption(value: string): CompatibilityLevel {
  const upper = value.toUpperCase();
  if (!(COMPATIBILITY_LEVELS as readonly string[]).includes(upper))
    throw new InvalidArgumentError(`expected one of ${COMPATIBILITY_LEVELS.join(', ')}.`);
  return upper as CompatibilityLevel;
}

export function versionOption(value: string): number | 'latest' {
  if (value === 'latest') return value;
  const version = Number(value);
  if (!Number.isInteger(version) || version < 1)
    throw new InvalidArgumentError(
      `a version is a number from 1, or "latest"; got ${JSON.stringify(value)}.`,
    );
  return version;
}

export function referenceOption(value: string, previous: SchemaReference[] = []): SchemaReference[] {
  try {
    return [...previous, parseReference(value)];
  } catch (error) {
    throw new InvalidArgumentError(`${(error as Error).message}.`);
  }
}

export interface SchemaFileOptions {
  type?: SchemaType;
  reference?: SchemaReference[];
}

/** The schema in `file` as the registry takes it, with the --type and --reference options applied. */
export async function schemaInput(file: string, options: SchemaFileOptions): Promise<SchemaInput> {
  let read;
  try {
    read = await readSchemaFile(file, options.type);
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, undefined, ExitCode.usage);
  }
  return { ...read, ...(options.reference?.length ? { references: options.reference } : {}) };
}
