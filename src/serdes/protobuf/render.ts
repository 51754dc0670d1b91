import protobuf from 'protobufjs';
import type { ProtoFile } from './schema.js';

/** Options whose values are enum identifiers, printed bare rather than quoted. */
const ENUM_VALUED_OPTIONS = new Set([
  'optimize_for',
  'ctype',
  'jstype',
  'idempotency_level',
  'retention',
  'targets',
]);
/** protobufjs bookkeeping, not options the author wrote. */
const INTERNAL_OPTIONS = new Set(['proto3_optional']);

function renderValue(key: string, value: unknown, enumTyped = false): string {
  if (typeof value === 'string') {
    return enumTyped || ENUM_VALUED_OPTIONS.has(key) ? value : JSON.stringify(value);
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((inner) => `${inner}: ${renderValue(inner, (value as Record<string, unknown>)[inner])}`);
    return `{ ${entries.join(' ')} }`;
  }
  return String(value);
}

function optionEntries(options: Record<string, unknown> | undefined): [string, unknown][] {
  if (!options) return [];
  return Object.keys(options)
    .filter((key) => !INTERNAL_OPTIONS.has(key) && options[key] !== undefined)
    .sort()
    .map((key) => [key, options[key]]);
}

function renderOptionStatements(options: Record<string, unknown> | undefined, indent: string): string[] {
  return optionEntries(options).map(([key, value]) => `${indent}option ${key} = ${renderValue(key, value)};`);
}

function renderReserved(reserved: (number[] | string)[] | undefined, indent: string): string[] {
  if (!reserved || reserved.length === 0) return [];
  const ranges = reserved
    .filter((item): item is number[] => Array.isArray(item))
    .sort((a, b) => a[0] - b[0])
    .map(([from, to]) =>
      from === to ? String(from) : to >= 0x1fffffff ? `${from} to max` : `${from} to ${to}`,
    );
  const names = reserved.filter((item): item is string => typeof item === 'string').sort();
  const lines: string[] = [];
  if (ranges.length > 0) lines.push(`${indent}reserved ${ranges.join(', ')};`);
  if (names.length > 0)
    lines.push(`${indent}reserved ${names.map((name) => JSON.stringify(name)).join(', ')};`);
  return lines;
}

/** The key type of a map field (protobufjs keeps it on MapField). */
export function mapKeyType(field: protobuf.FieldBase): string {
  return (field as unknown as { keyType?: string }).keyType ?? '';
}

/** A field's type as a fully-qualified name for messages and enums, so spelling variants compare equal. */
export function fieldTypeName(field: protobuf.FieldBase): string {
  return field.resolvedType ? field.resolvedType.fullName : field.type;
}

function renderField(
  field: protobuf.Field,
  syntax: ProtoFile['syntax'],
  indent: string,
  inOneof: boolean,
): string {
  let label = '';
  if (field.map) label = '';
  else if (field.rule === 'repeated') label = 'repeated ';
  else if (field.rule === 'required') label = 'required ';
  else if (!inOneof && (field.options?.proto3_optional === true || syntax === 'proto2')) label = 'optional ';
  const type = field.map ? `map<${mapKeyType(field)}, ${fieldTypeName(field)}>` : fieldTypeName(field);
  const enumTyped = field.resolvedType instanceof protobuf.Enum;
  const options = optionEntries(field.options).map(
    ([key, value]) => `${key} = ${renderValue(key, value, key === 'default' && enumTyped)}`,
  );
  const suffix = options.length > 0 ? ` [${options.join(', ')}]` : '';
  return `${indent}${label}${type} ${field.name} = ${field.id}${suffix};`;
}

function renderEnum(enumeration: protobuf.Enum, indent: string): string[] {
  const inner = `${indent}  `;
  const values = Object.keys(enumeration.values)
    .map((name) => ({ name, number: enumeration.values[name] }))
    .sort((a, b) => a.number - b.number || a.name.localeCompare(b.name))
    .map(({ name, number }) => {
      const options = optionEntries(enumeration.valuesOptions?.[name]).map(
        ([key, value]) => `${key} = ${renderValue(key, value)}`,
      );
      return `${inner}${name} = ${number}${options.length > 0 ? ` [${options.join(', ')}]` : ''};`;
    });
  return [
    `${indent}enum ${enumeration.name} {`,
    ...renderOptionStatements(enumeration.options, inner),
    ...renderReserved(enumeration.reserved, inner),
    ...values,
    `${indent}}`,
  ];
}

function renderMessage(message: protobuf.Type, syntax: ProtoFile['syntax'], indent: string): string[] {
  const inner = `${indent}  `;
  const lines = [`${indent}message ${message.name} {`];
  lines.push(...renderOptionStatements(message.options, inner));
  lines.push(...renderReserved(message.reserved, inner));
  if (message.extensions && message.extensions.length > 0) {
    const ranges = message.extensions.map(([from, to]) =>
      from === to ? String(from) : to >= 0x1fffffff ? `${from} to max` : `${from} to ${to}`,
    );
    lines.push(`${inner}extensions ${ranges.join(', ')};`);
  }
  // Fields by number; a real oneof is printed where its lowest-numbered field falls.
  const printedOneofs = new Set<string>();
  const fields = [...message.fieldsArray].sort((a, b) => a.id - b.id);
  for (const field of fields) {
    const oneof = field.partOf;
    const synthetic = oneof !== null && field.options?.proto3_optional === true;
    if (oneof && !synthetic) {
      if (printedOneofs.has(oneof.name)) continue;
      printedOneofs.add(oneof.name);
      lines.push(`${inner}oneof ${oneof.name} {`);
      lines.push(...renderOptionStatements(oneof.options, `${inner}  `));
      const members = [...oneof.fieldsArray].sort((a, b) => a.id - b.id);
      for (const member of members) lines.push(renderField(member, syntax, `${inner}  `, true));
      lines.push(`${inner}}`);
    } else {
      lines.push(renderField(field, syntax, inner, false));
    }
  }
  lines.push(...renderDefinitions(message.nestedArray, syntax, inner));
  lines.push(`${indent}}`);
  return lines;
}

function renderService(service: protobuf.Service, indent: string): string[] {
  const inner = `${indent}  `;
  const lines = [`${indent}service ${service.name} {`, ...renderOptionStatements(service.options, inner)];
  for (const method of service.methodsArray) {
    const request = `${method.requestStream ? 'stream ' : ''}${method.resolvedRequestType?.fullName ?? method.requestType}`;
    const response = `${method.responseStream ? 'stream ' : ''}${method.resolvedResponseType?.fullName ?? method.responseType}`;
    const options = renderOptionStatements(method.options, `${inner}  `);
    lines.push(
      options.length > 0
        ? `${inner}rpc ${method.name}(${request}) returns (${response}) {\n${options.join('\n')}\n${inner}}`
        : `${inner}rpc ${method.name}(${request}) returns (${response});`,
    );
  }
  lines.push(`${indent}}`);
  return lines;
}

/** Definitions keep their declaration order: message indexes in the wire format depend on it. */
function renderDefinitions(
  objects: readonly protobuf.ReflectionObject[],
  syntax: ProtoFile['syntax'],
  indent: string,
): string[] {
  const lines: string[] = [];
  for (const object of objects) {
    if (object instanceof protobuf.Type) lines.push(...renderMessage(object, syntax, indent));
    else if (object instanceof protobuf.Enum) lines.push(...renderEnum(object, indent));
    else if (object instanceof protobuf.Service) lines.push(...renderService(object, indent));
    else if (object instanceof protobuf.Field && object.extend) {
      const target = object.extensionField?.parent?.fullName ?? object.extend;
      lines.push(
        `${indent}extend ${target} {`,
        renderField(object, syntax, `${indent}  `, false),
        `${indent}}`,
      );
    }
  }
  return lines;
}

/** A normalized .proto text: one layout, fully-qualified type names, fields by number, options sorted. */
export function renderProtoFile(file: ProtoFile): string {
  const lines: string[] = [];
  lines.push(
    file.syntax === 'editions' ? `edition = "${file.edition ?? '2023'}";` : `syntax = "${file.syntax}";`,
  );
  if (file.packageName) lines.push(`package ${file.packageName};`);
  for (const name of [...file.imports].sort()) lines.push(`import ${JSON.stringify(name)};`);
  lines.push(...renderOptionStatements(file.options, ''));
  lines.push(...renderDefinitions(file.definitions, file.syntax, ''));
  return `${lines.join('\n')}\n`;
}
