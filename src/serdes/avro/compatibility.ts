import type avro from 'avsc';
import type { SideLabels } from '../compatibility-labels.js';
import type { CompatibilityIssue } from '../types.js';

interface AvscField {
  name: string;
  aliases: string[];
  type: avro.Type;
  defaultValue(): unknown;
}

/** int -> long -> float -> double, and string <-> bytes (Avro specification, "Schema Resolution"). */
const PROMOTIONS: Record<string, readonly string[]> = {
  int: ['long', 'float', 'double'],
  long: ['float', 'double'],
  float: ['double'],
  string: ['bytes'],
  bytes: ['string'],
};

function kindOf(type: avro.Type): string {
  const name = type.typeName;
  if (name.startsWith('union:')) return 'union';
  if (name === 'abstract:long') return 'long';
  if (name === 'error') return 'record';
  return name;
}

/** Logical types resolve by their underlying type. */
function underlying(type: avro.Type): avro.Type {
  let current = type;
  while (current.typeName.startsWith('logical:'))
    current = (current as avro.types.LogicalType).underlyingType;
  return current;
}

function describe(type: avro.Type): string {
  const kind = kindOf(type);
  return type.name ? `${kind} ${type.name}` : kind;
}

function shortName(fullName: string | undefined): string {
  if (!fullName) return '';
  return fullName.slice(fullName.lastIndexOf('.') + 1);
}

/**
 * Avro's rule for named types: the unqualified names match, or the reader lists the writer's full
 * name among its aliases.
 */
function namesMatch(reader: avro.Type, writer: avro.Type): boolean {
  if (shortName(reader.name) === shortName(writer.name)) return true;
  return (reader.aliases ?? []).includes(writer.name ?? '');
}

/**
 * Checks that data written with `writer` can be read with `reader` following Avro's schema
 * resolution rules; returns one issue per broken rule.
 */
export function checkAvroReaderWriter(
  reader: avro.Type,
  writer: avro.Type,
  labels: SideLabels,
): CompatibilityIssue[] {
  const issues: CompatibilityIssue[] = [];
  compare(underlying(reader), underlying(writer), '', labels, issues, new Set());
  return issues;
}

function compare(
  reader: avro.Type,
  writer: avro.Type,
  path: string,
  labels: SideLabels,
  issues: CompatibilityIssue[],
  inProgress: Set<string>,
): void {
  const readerKind = kindOf(reader);
  const writerKind = kindOf(writer);
  if (writerKind === 'union') {
    // Every branch the writer may have used must be readable.
    const branches = (writer as avro.types.UnwrappedUnionType).types;
    branches.forEach((branch, index) =>
      compare(reader, underlying(branch), `${path}/${index}`, labels, issues, inProgress),
    );
    return;
  }
  if (readerKind === 'union') {
    const branches = (reader as avro.types.UnwrappedUnionType).types;
    const readable = branches.some((branch) => {
      const trial: CompatibilityIssue[] = [];
      compare(underlying(branch), writer, path, labels, trial, inProgress);
      return trial.length === 0;
    });
    if (!readable) {
      issues.push({
        errorType: 'MISSING_UNION_BRANCH',
        path: path || '/',
        description: `the ${labels.reader} schema's union has no branch that can read ${describe(writer)} written by the ${labels.writer} schema`,
      });
    }
    return;
  }
  if (readerKind !== writerKind) {
    if (PROMOTIONS[writerKind]?.includes(readerKind)) return;
    issues.push({
      errorType: 'TYPE_MISMATCH',
      path: path || '/',
      description: `the ${labels.writer} schema writes ${describe(writer)} where the ${labels.reader} schema expects ${describe(reader)}, and ${writerKind} cannot be promoted to ${readerKind}`,
    });
    return;
  }
  switch (readerKind) {
    case 'record':
      compareRecords(
        reader as avro.types.RecordType,
        writer as avro.types.RecordType,
        path,
        labels,
        issues,
        inProgress,
      );
      return;
    case 'enum':
      compareEnums(reader as avro.types.EnumType, writer as avro.types.EnumType, path, labels, issues);
      return;
    case 'fixed':
      if (!namesMatch(reader, writer)) issues.push(nameMismatch(reader, writer, path, labels));
      else if ((reader as avro.types.FixedType).size !== (writer as avro.types.FixedType).size) {
        issues.push({
          errorType: 'FIXED_SIZE_MISMATCH',
          path: `${path}/size`,
          description: `fixed ${reader.name} is ${(writer as avro.types.FixedType).size} bytes in the ${labels.writer} schema but ${(reader as avro.types.FixedType).size} bytes in the ${labels.reader} schema`,
        });
      }
      return;
    case 'array':
      compare(
        underlying((reader as avro.types.ArrayType).itemsType),
        underlying((writer as avro.types.ArrayType).itemsType),
        `${path}/items`,
        labels,
        issues,
        inProgress,
      );
      return;
    case 'map':
      compare(
        underlying((reader as avro.types.MapType).valuesType as avro.Type),
        underlying((writer as avro.types.MapType).valuesType as avro.Type),
        `${path}/values`,
        labels,
        issues,
        inProgress,
      );
      return;
    default:
      return; // identical primitives
  }
}

function nameMismatch(
  reader: avro.Type,
  writer: avro.Type,
  path: string,
  labels: SideLabels,
): CompatibilityIssue {
  return {
    errorType: 'NAME_MISMATCH',
    path: `${path}/name`,
    description: `the ${labels.reader} schema expects ${describe(reader)} but the ${labels.writer} schema writes ${describe(writer)} (names differ and no alias matches)`,
  };
}

function compareRecords(
  reader: avro.types.RecordType,
  writer: avro.types.RecordType,
  path: string,
  labels: SideLabels,
  issues: CompatibilityIssue[],
  inProgress: Set<string>,
): void {
  if (!namesMatch(reader, writer)) {
    issues.push(nameMismatch(reader, writer, path, labels));
    return;
  }
  // Recursive types: a pair already being compared is assumed compatible.
  const key = `${reader.name}\u0000${writer.name}`;
  if (inProgress.has(key)) return;
  inProgress.add(key);
  const writerFields = writer.fields as unknown as AvscField[];
  for (const readerField of reader.fields as unknown as AvscField[]) {
    const fieldPath = `${path}/fields/${readerField.name}`;
    const writerField =
      writerFields.find((field) => field.name === readerField.name) ??
      writerFields.find((field) => (readerField.aliases ?? []).includes(field.name));
    if (writerField) {
      compare(
        underlying(readerField.type),
        underlying(writerField.type),
        fieldPath,
        labels,
        issues,
        inProgress,
      );
    } else if (readerField.defaultValue() === undefined) {
      issues.push({
        errorType: 'READER_FIELD_MISSING_DEFAULT_VALUE',
        path: fieldPath,
        description: `field '${readerField.name}' of ${reader.name} is in the ${labels.reader} schema without a default value and is missing from the ${labels.writer} schema`,
      });
    }
  }
  inProgress.delete(key);
}

function compareEnums(
  reader: avro.types.EnumType,
  writer: avro.types.EnumType,
  path: string,
  labels: SideLabels,
  issues: CompatibilityIssue[],
): void {
  if (!namesMatch(reader, writer)) {
    issues.push(nameMismatch(reader, writer, path, labels));
    return;
  }
  const readerDefault = (reader as unknown as { default?: string }).default;
  if (readerDefault !== undefined) return; // unknown symbols read as the default
  const missing = writer.symbols.filter((symbol) => !reader.symbols.includes(symbol));
  if (missing.length > 0) {
    issues.push({
      errorType: 'MISSING_ENUM_SYMBOLS',
      path: `${path}/symbols`,
      description: `enum ${reader.name} in the ${labels.reader} schema lacks symbols [${missing.join(', ')}] that the ${labels.writer} schema may write, and has no default symbol`,
    });
  }
}
