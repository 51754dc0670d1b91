// Views of the schema registry that the CLI and the console share: the subject overview, one version
// with its neighbours, a compatibility verdict, and the outcome of a registration. Built on the serdes
// registry client only; the types come from the serdes' dependency-free modules so the CLI starts fast.
import type { CompatibilityLevel, SchemaType } from '../serdes/types.js';
import {
  SchemaRegistryError,
  type CompatibilityCheck,
  type RegisteredSchema,
  type SchemaInput,
  type SchemaRegistryClient,
} from '../serdes/client.js';

export interface SubjectSummary {
  subject: string;
  latestVersion: number;
  id: number;
  schemaType: SchemaType;
  compatibility: CompatibilityLevel;
  versions: number;
}

/** Every subject with its latest version, schema type and effective compatibility level. */
export async function subjectSummaries(client: SchemaRegistryClient): Promise<SubjectSummary[]> {
  const subjects = await client.subjects();
  return Promise.all(
    subjects.map(async (subject) => {
      const [latest, versions, compatibility] = await Promise.all([
        client.getVersion(subject, 'latest'),
        client.versions(subject),
        client.compatibility(subject),
      ]);
      return {
        subject,
        latestVersion: latest.version ?? -1,
        id: latest.id,
        schemaType: latest.schemaType ?? 'AVRO',
        compatibility,
        versions: versions.length,
      };
    }),
  );
}

/** One version of a subject, with the versions it has and its effective compatibility level. */
export interface SubjectVersionView extends RegisteredSchema {
  schemaType: SchemaType;
  versions: number[];
  compatibility: CompatibilityLevel;
}

export async function subjectVersion(
  client: SchemaRegistryClient,
  subject: string,
  version: number | 'latest',
): Promise<SubjectVersionView> {
  const [shown, versions, compatibility] = await Promise.all([
    client.getVersion(subject, version),
    client.versions(subject),
    client.compatibility(subject),
  ]);
  return { ...shown, schemaType: shown.schemaType ?? 'AVRO', versions, compatibility };
}

/** Whether a schema could be registered under a subject, and under which level that was judged. */
export interface CompatibilityVerdict extends CompatibilityCheck {
  subject: string;
  compatibility: CompatibilityLevel;
  /** The messages that say what is wrong, without the registry's trailing `{oldSchemaVersion: …}` notes. */
  reasons: string[];
}

export async function compatibilityVerdict(
  client: SchemaRegistryClient,
  subject: string,
  input: SchemaInput,
  version?: number | 'latest',
): Promise<CompatibilityVerdict> {
  const [result, compatibility] = await Promise.all([
    client.checkCompatibility(subject, input, version),
    client.compatibility(subject),
  ]);
  return { subject, compatibility, ...result, reasons: reasonsOf(result.messages ?? []) };
}

/** Confluent's verbose check ends with notes such as `{oldSchemaVersion: 1, …}`: data, not reasons. */
export function reasonsOf(messages: readonly string[]): string[] {
  return messages.filter((message) => !/^\{.*\}$/s.test(message.trim()));
}

export interface Registration {
  subject: string;
  id: number;
  version: number;
  schemaType: SchemaType;
  /** True when the subject already had this exact schema: nothing new was written. */
  alreadyRegistered: boolean;
}

/** Registers a schema, saying whether it was new or the subject already had it. */
export async function registerSchema(
  client: SchemaRegistryClient,
  subject: string,
  input: SchemaInput,
): Promise<Registration> {
  const existing = await client.lookup(subject, input).catch((error: unknown) => {
    // 404: the subject, or this schema under it, is not registered yet.
    if (error instanceof SchemaRegistryError && error.status === 404) return undefined;
    throw error;
  });
  const registered = existing ?? (await client.register(subject, input), await client.lookup(subject, input));
  return {
    subject,
    id: registered.id,
    version: registered.version ?? -1,
    schemaType: input.schemaType,
    alreadyRegistered: existing !== undefined,
  };
}
