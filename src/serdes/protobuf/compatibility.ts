import protobuf from 'protobufjs';
import type { SideLabels } from '../compatibility-labels.js';
import type { CompatibilityIssue } from '../types.js';
import { fieldTypeName, mapKeyType } from './render.js';
import type { ProtoFile } from './schema.js';

/** Scalars that share a wire encoding and read each other's values (Protobuf's "updating a message type" rules). */
const WIRE_GROUPS: readonly (readonly string[])[] = [
  ['int32', 'uint32', 'int64', 'uint64', 'bool', 'enum'],
  ['sint32', 'sint64'],
  ['fixed32', 'sfixed32'],
  ['fixed64', 'sfixed64'],
  ['string', 'bytes'],
  ['float'],
  ['double'],
];

type FieldKind = 'scalar' | 'enum' | 'message';

function kindOf(field: protobuf.FieldBase): FieldKind {
  if (field.resolvedType instanceof protobuf.Type) return 'message';
  if (field.resolvedType instanceof protobuf.Enum) return 'enum';
  return 'scalar';
}

function wireGroup(field: protobuf.FieldBase): number {
  const scalar = kindOf(field) === 'enum' ? 'enum' : field.type;
  return WIRE_GROUPS.findIndex((group) => group.includes(scalar));
}

function isRealOneof(field: protobuf.Field): boolean {
  return field.partOf !== null && field.options?.proto3_optional !== true;
}

function realOneofs(message: protobuf.Type): protobuf.OneOf[] {
  return message.oneofsArray.filter(
    (oneof) => !oneof.fieldsArray.every((field) => field.options?.proto3_optional === true),
  );
}

interface DiffContext {
  labels: SideLabels;
  issues: CompatibilityIssue[];
}

/**
 * Compares the file an `original` writer used with the `update` reader the way Confluent's
 * Protobuf diff does and reports the changes Confluent deems incompatible: package changed,
 * message removed, field kind / scalar wire type / named type changed, numeric label changed,
 * required field added or removed, oneof field removed, fields moved into a oneof.
 */
export function checkProtobufReaderWriter(
  reader: ProtoFile,
  writer: ProtoFile,
  labels: SideLabels,
): CompatibilityIssue[] {
  const context: DiffContext = { labels, issues: [] };
  if (reader.packageName !== writer.packageName) {
    context.issues.push({
      errorType: 'PACKAGE_CHANGED',
      path: '#/',
      description: `package is '${writer.packageName}' in the ${labels.writer} schema and '${reader.packageName}' in the ${labels.reader} schema`,
    });
  }
  compareDefinitions(writer.definitions, reader.definitions, writer.packageName, context);
  return context.issues;
}

function compareDefinitions(
  original: readonly protobuf.ReflectionObject[],
  update: readonly protobuf.ReflectionObject[],
  scope: string,
  context: DiffContext,
): void {
  const updateMessages = new Map(
    update
      .filter((object): object is protobuf.Type => object instanceof protobuf.Type)
      .map((type) => [type.name, type]),
  );
  for (const message of original) {
    if (!(message instanceof protobuf.Type)) continue;
    const path = scope ? `${scope}.${message.name}` : message.name;
    const counterpart = updateMessages.get(message.name);
    if (!counterpart) {
      context.issues.push({
        errorType: 'MESSAGE_REMOVED',
        path,
        description: `message ${path} of the ${context.labels.writer} schema is missing from the ${context.labels.reader} schema`,
      });
      continue;
    }
    compareMessages(message, counterpart, path, context);
  }
}

function describeField(field: protobuf.Field): string {
  const label = field.rule === 'repeated' ? 'repeated ' : field.rule === 'required' ? 'required ' : '';
  const type = field.map ? `map<${mapKeyType(field)}, ${fieldTypeName(field)}>` : fieldTypeName(field);
  return `${label}${type}`;
}

function compareMessages(
  original: protobuf.Type,
  update: protobuf.Type,
  path: string,
  context: DiffContext,
): void {
  const { labels, issues } = context;
  for (const field of original.fieldsArray) {
    const counterpart = update.fieldsById[field.id];
    const fieldPath = `${path}.${field.name}`;
    if (!counterpart) {
      if (field.rule === 'required') {
        issues.push({
          errorType: 'REQUIRED_FIELD_REMOVED',
          path: fieldPath,
          description: `required field ${field.id} '${field.name}' of the ${labels.writer} schema is missing from the ${labels.reader} schema`,
        });
      }
      continue;
    }
    compareFields(field, counterpart, fieldPath, context);
  }
  for (const field of update.fieldsArray) {
    if (original.fieldsById[field.id] || field.rule !== 'required') continue;
    issues.push({
      errorType: 'REQUIRED_FIELD_ADDED',
      path: `${path}.${field.name}`,
      description: `required field ${field.id} '${field.name}' is new in the ${labels.reader} schema; data from the ${labels.writer} schema lacks it`,
    });
  }
  compareOneofs(original, update, path, context);
  compareDefinitions(original.nestedArray, update.nestedArray, path, context);
}

function compareFields(
  original: protobuf.Field,
  update: protobuf.Field,
  path: string,
  context: DiffContext,
): void {
  const { labels, issues } = context;
  const change = `field ${original.id} is ${describeField(original)} in the ${labels.writer} schema but ${describeField(update)} in the ${labels.reader} schema`;
  if (original.map !== update.map) {
    issues.push({ errorType: 'FIELD_KIND_CHANGED', path, description: change });
    return;
  }
  if (original.map) {
    const keysDiffer = mapKeyType(original) !== mapKeyType(update);
    const originalKind = kindOf(original);
    const valuesDiffer =
      originalKind !== kindOf(update) ||
      (originalKind === 'scalar'
        ? original.type !== update.type
        : fieldTypeName(original) !== fieldTypeName(update));
    if (keysDiffer || valuesDiffer)
      issues.push({ errorType: 'FIELD_KIND_CHANGED', path, description: change });
    return;
  }
  const originalKind = kindOf(original);
  const updateKind = kindOf(update);
  const scalarLike = (kind: FieldKind): boolean => kind !== 'message';
  if (originalKind === 'message' || updateKind === 'message') {
    if (originalKind !== updateKind) {
      issues.push({ errorType: 'FIELD_KIND_CHANGED', path, description: change });
      return;
    }
    if (fieldTypeName(original) !== fieldTypeName(update)) {
      issues.push({ errorType: 'FIELD_NAMED_TYPE_CHANGED', path, description: change });
      return;
    }
  } else if (originalKind === 'enum' && updateKind === 'enum') {
    if (fieldTypeName(original) !== fieldTypeName(update)) {
      issues.push({ errorType: 'FIELD_NAMED_TYPE_CHANGED', path, description: change });
      return;
    }
  } else if (scalarLike(originalKind) && wireGroup(original) !== wireGroup(update)) {
    issues.push({ errorType: 'FIELD_SCALAR_KIND_CHANGED', path, description: change });
    return;
  }
  const originalRepeated = original.rule === 'repeated';
  const updateRepeated = update.rule === 'repeated';
  if (originalRepeated !== updateRepeated && originalKind !== 'message') {
    const lengthDelimited = original.type === 'string' || original.type === 'bytes';
    // Singular and repeated string/bytes share an encoding; packed numbers do not read as singular ones.
    if (!lengthDelimited)
      issues.push({ errorType: 'FIELD_NUMERIC_LABEL_CHANGED', path, description: change });
  }
  if ((original.rule === 'required') !== (update.rule === 'required')) {
    issues.push({
      errorType: update.rule === 'required' ? 'REQUIRED_FIELD_ADDED' : 'REQUIRED_FIELD_REMOVED',
      path,
      description: change,
    });
  }
}

function compareOneofs(
  original: protobuf.Type,
  update: protobuf.Type,
  path: string,
  context: DiffContext,
): void {
  const { labels, issues } = context;
  const originalOneofs = new Map(realOneofs(original).map((oneof) => [oneof.name, oneof]));
  for (const oneof of realOneofs(update)) {
    const before = originalOneofs.get(oneof.name);
    const oneofPath = `${path}.${oneof.name}`;
    if (!before) {
      const moved = oneof.fieldsArray.filter((field) => original.fieldsById[field.id] !== undefined);
      if (moved.length > 1) {
        issues.push({
          errorType: 'MULTIPLE_FIELDS_MOVED_TO_ONEOF',
          path: oneofPath,
          description: `oneof '${oneof.name}' of the ${labels.reader} schema gathers fields [${moved.map((field) => field.id).join(', ')}] that the ${labels.writer} schema may set together`,
        });
      }
      continue;
    }
    const beforeIds = new Set(before.fieldsArray.map((field) => field.id));
    for (const field of oneof.fieldsArray) {
      if (beforeIds.has(field.id)) continue;
      const existing = original.fieldsById[field.id];
      if (existing && !(isRealOneof(existing) && existing.partOf?.name === oneof.name)) {
        issues.push({
          errorType: 'FIELD_MOVED_TO_EXISTING_ONEOF',
          path: `${oneofPath}.${field.name}`,
          description: `field ${field.id} '${field.name}' moved into the existing oneof '${oneof.name}' in the ${labels.reader} schema`,
        });
      }
    }
    const afterIds = new Set(oneof.fieldsArray.map((field) => field.id));
    for (const field of before.fieldsArray) {
      if (afterIds.has(field.id)) continue;
      issues.push({
        errorType: 'ONEOF_FIELD_REMOVED',
        path: `${oneofPath}.${field.name}`,
        description: `field ${field.id} '${field.name}' of oneof '${oneof.name}' in the ${labels.writer} schema is gone from that oneof in the ${labels.reader} schema`,
      });
    }
  }
}
