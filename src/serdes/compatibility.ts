import { checkAvroReaderWriter } from './avro/compatibility.js';
import { NEW_READS_OLD, OLD_READS_NEW, type SideLabels } from './compatibility-labels.js';
import { checkJsonReaderWriter } from './json/compatibility.js';
import { internalsOf } from './parse.js';
import { checkProtobufReaderWriter } from './protobuf/compatibility.js';
import type { CompatibilityIssue, CompatibilityLevel, ParsedSchema } from './types.js';

export type CompatibilityDirection = 'BACKWARD' | 'FORWARD';

export interface CompatibilityFailure {
  /** Index into `previous` (0 = oldest) of the schema the candidate is incompatible with. */
  previousIndex: number;
  /** BACKWARD: the candidate cannot read that schema's data; FORWARD: that schema cannot read the candidate's data. */
  direction: CompatibilityDirection;
  issues: CompatibilityIssue[];
}

export interface CompatibilityReport {
  compatible: boolean;
  failures: CompatibilityFailure[];
}

/** Issues preventing `reader` from reading data written with `writer`. */
function readerWriterIssues(
  reader: ParsedSchema,
  writer: ParsedSchema,
  labels: SideLabels,
): CompatibilityIssue[] {
  if (reader.schemaType !== writer.schemaType) {
    return [
      {
        errorType: 'SCHEMA_TYPE_CHANGED',
        path: '/',
        description: `the ${labels.writer} schema is ${writer.schemaType} and the ${labels.reader} schema is ${reader.schemaType}`,
      },
    ];
  }
  const readerDetail = internalsOf(reader);
  const writerDetail = internalsOf(writer);
  if (readerDetail.schemaType === 'AVRO' && writerDetail.schemaType === 'AVRO') {
    return checkAvroReaderWriter(readerDetail.type, writerDetail.type, labels);
  }
  if (readerDetail.schemaType === 'JSON' && writerDetail.schemaType === 'JSON') {
    return checkJsonReaderWriter(readerDetail, writerDetail, labels);
  }
  if (readerDetail.schemaType === 'PROTOBUF' && writerDetail.schemaType === 'PROTOBUF') {
    return checkProtobufReaderWriter(readerDetail.file, writerDetail.file, labels);
  }
  return [];
}

function directionsFor(level: CompatibilityLevel): CompatibilityDirection[] {
  if (level.startsWith('BACKWARD')) return ['BACKWARD'];
  if (level.startsWith('FORWARD')) return ['FORWARD'];
  if (level.startsWith('FULL')) return ['BACKWARD', 'FORWARD'];
  return [];
}

/** Like checkCompatibility, but structured: which previous schema, which direction, which issues. */
export function checkCompatibilityDetailed(
  level: CompatibilityLevel,
  candidate: ParsedSchema,
  previous: readonly ParsedSchema[],
): CompatibilityReport {
  const directions = directionsFor(level);
  if (directions.length === 0 || previous.length === 0) return { compatible: true, failures: [] };
  const transitive = level.endsWith('_TRANSITIVE');
  const first = transitive ? 0 : previous.length - 1;
  const failures: CompatibilityFailure[] = [];
  // Newest first, as Confluent reports them.
  for (let index = previous.length - 1; index >= first; index--) {
    const old = previous[index];
    for (const direction of directions) {
      const issues =
        direction === 'BACKWARD'
          ? readerWriterIssues(candidate, old, NEW_READS_OLD)
          : readerWriterIssues(old, candidate, OLD_READS_NEW);
      if (issues.length > 0) failures.push({ previousIndex: index, direction, issues });
    }
  }
  return { compatible: failures.length === 0, failures };
}

/** One line per issue ("ERROR_TYPE at 'path': description"), then which previous schema and level it was checked against. */
export function formatCompatibilityMessages(
  level: CompatibilityLevel,
  report: CompatibilityReport,
): string[] {
  const messages: string[] = [];
  for (const failure of report.failures) {
    for (const issue of failure.issues) {
      messages.push(`${issue.errorType} at '${issue.path}': ${issue.description}`);
    }
    messages.push(
      `{oldSchemaIndex: ${failure.previousIndex}, direction: '${failure.direction}', compatibility: '${level}'}`,
    );
  }
  return messages;
}

/** `previous` is oldest first; non-transitive levels check only the last one. Messages say which field broke what. */
export function checkCompatibility(
  level: CompatibilityLevel,
  candidate: ParsedSchema,
  previous: readonly ParsedSchema[],
): { compatible: boolean; messages: string[] } {
  const report = checkCompatibilityDetailed(level, candidate, previous);
  return { compatible: report.compatible, messages: formatCompatibilityMessages(level, report) };
}
