import protobuf from 'protobufjs';
import { InvalidSchemaError, type ResolvedReference } from '../types.js';
import { renderProtoFile } from './render.js';

export interface ProtobufSchemaParts {
  canonical: string;
  /** Every definition of the file and its imports, types resolved: for encoding, decoding and comparing. */
  root: protobuf.Root;
  /** The file's own definitions only (no imports), in declaration order: message indexes count here. */
  file: ProtoFile;
}

export interface ProtoFile {
  syntax: 'proto2' | 'proto3' | 'editions';
  /** The edition year for `edition = "..."` files. */
  edition?: string;
  packageName: string;
  imports: string[];
  /** Top-level definitions of the file, looked up in `root` so their types are resolved. */
  definitions: protobuf.ReflectionObject[];
  options: Record<string, unknown>;
}

const PARSE_OPTIONS = { keepCase: true };

function detectSyntax(source: string): Pick<ProtoFile, 'syntax' | 'edition'> {
  const match = /^\s*(syntax|edition)\s*=\s*["']([^"']+)["']/m.exec(source.replace(/\/\/.*$/gm, ''));
  if (!match) return { syntax: 'proto2' }; // protoc's default when no syntax statement is present
  if (match[1] === 'edition') return { syntax: 'editions', edition: match[2] };
  return { syntax: match[2] === 'proto3' ? 'proto3' : 'proto2' };
}

function parseInto(source: string, root: protobuf.Root, what: string): protobuf.IParserResult {
  try {
    return protobuf.parse(source, root, PARSE_OPTIONS);
  } catch (error) {
    throw new InvalidSchemaError(`invalid Protobuf schema ${what}: ${(error as Error).message}`);
  }
}

function addReferences(
  references: readonly ResolvedReference[],
  root: protobuf.Root,
  done: Set<string>,
  provided: Set<string>,
): void {
  for (const reference of references) {
    if (done.has(reference.name)) continue;
    done.add(reference.name);
    provided.add(reference.name);
    if (reference.schemaType !== 'PROTOBUF') {
      throw new InvalidSchemaError(`reference '${reference.name}' is ${reference.schemaType}, not PROTOBUF`);
    }
    addReferences(reference.references, root, done, provided);
    const parsed = parseInto(reference.schema, root, `'${reference.name}' (reference)`);
    addWellKnownImports(parsed.imports ?? [], root, provided);
  }
}

/** google/protobuf/*.proto imports resolve without a reference, as in Confluent's registry. */
function addWellKnownImports(imports: readonly string[], root: protobuf.Root, provided: Set<string>): void {
  for (const name of imports) {
    if (provided.has(name)) continue;
    const common = protobuf.common.get(name) as protobuf.INamespace | null;
    if (common?.nested) {
      root.addJSON(common.nested);
      provided.add(name);
    }
  }
}

/** The file's own top-level definitions: inside its package namespace, or at the root without a package. */
function ownDefinitions(result: protobuf.IParserResult): protobuf.ReflectionObject[] {
  const container = result.package ? result.root.lookup(result.package) : result.root;
  if (!(container instanceof protobuf.Namespace)) return [];
  return container.nestedArray.filter(
    (object) =>
      !(object instanceof protobuf.Namespace) ||
      object instanceof protobuf.Type ||
      object instanceof protobuf.Service,
  );
}

/** Parses .proto text with protobufjs (imports supplied as references), resolving every type. */
export function parseProtobufSchema(
  schema: string,
  references: readonly ResolvedReference[],
): ProtobufSchemaParts {
  const own = parseInto(schema, new protobuf.Root(), '');
  const root = new protobuf.Root();
  const provided = new Set<string>();
  addReferences(references, root, new Set(), provided);
  parseInto(schema, root, '');
  addWellKnownImports(own.imports ?? [], root, provided);
  try {
    root.resolveAll();
  } catch (error) {
    const missing = (own.imports ?? []).filter((name) => !provided.has(name));
    const hint = missing.length > 0 ? ` (imports without a reference: ${missing.join(', ')})` : '';
    throw new InvalidSchemaError(`invalid Protobuf schema: ${(error as Error).message}${hint}`);
  }
  const prefix = own.package ? `${own.package}.` : '';
  const definitions = ownDefinitions(own).map((object) => {
    const resolved = root.lookup(`${prefix}${object.name}`);
    return resolved ?? object;
  });
  const packageNamespace = own.package ? own.root.lookup(own.package) : own.root;
  const file: ProtoFile = {
    ...detectSyntax(schema),
    packageName: own.package ?? '',
    imports: [...(own.imports ?? []), ...(own.weakImports ?? [])],
    definitions,
    options: { ...(packageNamespace?.options ?? {}) },
  };
  return { canonical: renderProtoFile(file), root, file };
}

/** Messages only, in declaration order: the lists Confluent's message indexes count in. */
export function messagesIn(objects: readonly protobuf.ReflectionObject[]): protobuf.Type[] {
  return objects.filter((object): object is protobuf.Type => object instanceof protobuf.Type);
}

/** The message-index path of a message (by full name, with or without leading dot) within the file. */
export function messageIndexesOf(file: ProtoFile, fullName: string): number[] {
  const wanted = fullName.startsWith('.') ? fullName : `.${fullName}`;
  const path: number[] = [];
  let candidates = messagesIn(file.definitions);
  for (;;) {
    const index = candidates.findIndex(
      (message) => wanted === message.fullName || wanted.startsWith(`${message.fullName}.`),
    );
    if (index < 0) throw new Error(`message ${fullName} is not defined in this schema`);
    path.push(index);
    const found = candidates[index];
    if (found.fullName === wanted) return path;
    candidates = messagesIn(found.nestedArray);
  }
}

/** The message a message-index path points at. */
export function messageAt(file: ProtoFile, indexes: readonly number[]): protobuf.Type {
  let candidates = messagesIn(file.definitions);
  let found: protobuf.Type | undefined;
  for (const index of indexes.length === 0 ? [0] : indexes) {
    found = candidates[index];
    if (!found) throw new Error(`message indexes [${indexes.join(', ')}] point at no message in this schema`);
    candidates = messagesIn(found.nestedArray);
  }
  return found as protobuf.Type;
}
