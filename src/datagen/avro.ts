// Values for an Avro schema: every type, logical types, field-name hints and the `arg.properties`
// annotations of Confluent's datagen (iteration, range, options, regex, length).
import { annotatedGenerator, readAnnotations, type Annotations } from './annotations.js';
import { DatagenSchemaError } from './errors.js';
import {
  numberHint,
  stringHint,
  uuid,
  type GenerateContext,
  type NumberKind,
  type ValueGenerator,
} from './hints.js';

type AvroJson = string | AvroJson[] | { [key: string]: unknown };
type Generator = ValueGenerator<unknown>;

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
/** How often an optional (["null", ...]) field is null. */
const NULL_CHANCE = 0.1;
/** Past this depth a recursive type takes its null branch, so values stay finite. */
const MAX_DEPTH = 8;
const DAY_MS = 86_400_000;
const MAP_KEYS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];

/** A compiled Avro record schema: call it once per record. */
export interface AvroGenerator {
  generate(context: GenerateContext): Record<string, unknown>;
  /** The top-level fields, for --key-field. */
  readonly fieldNames: readonly string[];
}

export function compileAvro(schema: unknown): AvroGenerator {
  const compiler = new AvroCompiler();
  const root = compiler.compile(schema as AvroJson, '', '', '');
  if (!isObject(schema) || (schema.type !== 'record' && schema.type !== 'error'))
    throw new DatagenSchemaError(
      'the Avro schema must be a record (its "type" is "record"), with one field per column',
    );
  const fields = (schema.fields as { name: string }[]).map((field) => field.name);
  return { generate: (context) => root(context) as Record<string, unknown>, fieldNames: fields };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class AvroCompiler {
  /** Named types by full name; filled before their fields compile, so recursion finds them. */
  readonly #named = new Map<string, { generate: Generator; bucket: string }>();
  #depth = 0;

  compile(schema: AvroJson, namespace: string, fieldName: string, path: string): Generator {
    return this.#compile(schema, namespace, fieldName, path).generate;
  }

  #compile(
    schema: AvroJson,
    namespace: string,
    fieldName: string,
    path: string,
  ): { generate: Generator; bucket: string } {
    if (typeof schema === 'string') {
      if (PRIMITIVES.has(schema)) return this.#primitive(schema, {}, fieldName, path);
      const named = this.#named.get(qualify(schema, namespace)) ?? this.#named.get(schema);
      if (!named)
        throw new DatagenSchemaError(
          `${where(path)}unknown Avro type ${JSON.stringify(schema)}; use a primitive (string, int, long, ...) or a type defined earlier`,
        );
      return { generate: (context) => named.generate(context), bucket: named.bucket };
    }
    if (Array.isArray(schema)) return this.#union(schema, namespace, fieldName, path);
    const type = schema.type;
    const annotations = readAnnotations(schema, path);
    if (typeof type !== 'string' && !Array.isArray(type) && !isObject(type))
      throw new DatagenSchemaError(`${where(path)}an Avro type needs a "type"`);
    if (typeof type !== 'string') return this.#compile(type as AvroJson, namespace, fieldName, path);
    switch (type) {
      case 'record':
      case 'error':
        return this.#record(schema, namespace, path);
      case 'enum': {
        const symbols = schema.symbols;
        if (!Array.isArray(symbols) || symbols.length === 0)
          throw new DatagenSchemaError(
            `${where(path)}the enum ${String(schema.name)} needs a list of "symbols"`,
          );
        const generate = annotatedGenerator(annotations, 'enum', ({ random }) => random.pick(symbols), path);
        this.#define(schema, namespace, 'string', generate);
        return { generate, bucket: 'string' };
      }
      case 'fixed': {
        const size = Number(schema.size);
        const generate = decimalOrBytes(schema, size, annotations, path);
        this.#define(schema, namespace, 'buffer', generate);
        return { generate, bucket: 'buffer' };
      }
      case 'array': {
        const items = this.compile(schema.items as AvroJson, namespace, singular(fieldName), `${path}[]`);
        return { generate: collection(annotations, path, (context) => items(context)), bucket: 'array' };
      }
      case 'map': {
        const values = this.compile(schema.values as AvroJson, namespace, fieldName, `${path}{}`);
        const entries = collection(
          annotations,
          path,
          (context) => [mapKey(context), values(context)] as const,
        );
        return {
          generate: (context) => Object.fromEntries(entries(context) as (readonly [string, unknown])[]),
          bucket: 'object',
        };
      }
      default:
        if (PRIMITIVES.has(type)) return this.#primitive(type, schema, fieldName, path);
        return this.#compile(type, namespace, fieldName, path);
    }
  }

  #define(schema: Record<string, unknown>, namespace: string, bucket: string, generate: Generator): void {
    const name = qualify(String(schema.name), String(schema.namespace ?? namespace));
    this.#named.set(name, { generate, bucket });
  }

  #record(
    schema: Record<string, unknown>,
    namespace: string,
    path: string,
  ): { generate: Generator; bucket: string } {
    const fullName = qualify(String(schema.name), String(schema.namespace ?? namespace));
    const ownNamespace = fullName.includes('.') ? fullName.slice(0, fullName.lastIndexOf('.')) : '';
    const entry = { generate: (() => ({})) as Generator, bucket: 'object' };
    this.#named.set(fullName, entry);
    if (!Array.isArray(schema.fields))
      throw new DatagenSchemaError(`${where(path)}the record ${fullName} needs a "fields" list`);
    const fields = (schema.fields as Record<string, unknown>[]).map((field) => {
      const name = String(field.name);
      return [
        name,
        this.compile(field.type as AvroJson, ownNamespace, name, path ? `${path}.${name}` : name),
      ] as const;
    });
    entry.generate = (context) => {
      this.#depth++;
      try {
        const value: Record<string, unknown> = {};
        for (const [name, generate] of fields) value[name] = generate(context);
        return value;
      } finally {
        this.#depth--;
      }
    };
    return entry;
  }

  #union(
    branches: AvroJson[],
    namespace: string,
    fieldName: string,
    path: string,
  ): { generate: Generator; bucket: string } {
    if (branches.length === 0) throw new DatagenSchemaError(`${where(path)}an empty union has no values`);
    const compiled = branches.map((branch) => ({
      ...this.#compile(branch, namespace, fieldName, path),
      name: branchName(branch, namespace),
    }));
    const nullable = compiled.some((branch) => branch.bucket === 'null');
    const others = compiled.filter((branch) => branch.bucket !== 'null');
    // avsc (which encodes for the registry) wraps a union's values as {branch: value} when two
    // branches could hold the same JavaScript value; otherwise values go bare. The serdes' long is an
    // avsc logical type (serdes/avro/long-type.ts), which avsc leaves out of that test.
    const buckets = compiled.filter((branch) => branch.name !== 'long').map((branch) => branch.bucket);
    const wrapped = new Set(buckets).size < buckets.length;
    return {
      bucket: 'union',
      generate: (context) => {
        if (
          others.length === 0 ||
          (nullable && (this.#depth > MAX_DEPTH || context.random.chance(NULL_CHANCE)))
        )
          return null;
        const branch = context.random.pick(others);
        const value = branch.generate(context);
        return wrapped ? { [branch.name]: value } : value;
      },
    };
  }

  #primitive(
    type: string,
    schema: Record<string, unknown>,
    fieldName: string,
    path: string,
  ): { generate: Generator; bucket: string } {
    const annotations = readAnnotations(schema, path);
    const logical = typeof schema.logicalType === 'string' ? schema.logicalType : undefined;
    const fallback = this.#plain(type, logical, schema, fieldName, path, annotations);
    return { generate: annotatedGenerator(annotations, type, fallback, path), bucket: bucketOf(type) };
  }

  #plain(
    type: string,
    logical: string | undefined,
    schema: Record<string, unknown>,
    fieldName: string,
    path: string,
    annotations: Annotations,
  ): Generator {
    if (logical === 'date' && type === 'int')
      return ({ random, now }) => Math.floor(now / DAY_MS) - random.int(0, 365);
    if (logical === 'time-millis' && type === 'int') return ({ now }) => now % DAY_MS;
    if (logical === 'time-micros' && type === 'long') return ({ now }) => (now % DAY_MS) * 1000;
    if (logical === 'timestamp-millis' || logical === 'local-timestamp-millis') return ({ now }) => now;
    if (logical === 'timestamp-micros' || logical === 'local-timestamp-micros')
      return ({ now }) => now * 1000;
    if (logical === 'uuid' && type === 'string') return ({ random }) => uuid(random);
    switch (type) {
      case 'null':
        return () => null;
      case 'boolean':
        return ({ random }) => random.chance(0.5);
      case 'int':
      case 'long':
      case 'float':
      case 'double':
        return numberHint(fieldName, type as NumberKind) ?? plainNumber(type as NumberKind);
      case 'string':
        if (annotations.length !== undefined) return collectionString(annotations, path);
        return (stringHint(fieldName) as Generator | undefined) ?? collectionString(annotations, path);
      case 'bytes':
        return decimalOrBytes(schema, undefined, annotations, path);
      default:
        throw new DatagenSchemaError(`${where(path)}unknown Avro type ${JSON.stringify(type)}`);
    }
  }
}

function plainNumber(kind: NumberKind): Generator {
  if (kind === 'int' || kind === 'long') return ({ random }) => random.int(0, 10_000);
  return ({ random }) => Math.round(random.float(0, 1000) * 100) / 100;
}

/** A word-like string, its length from the `length` annotation (default 4 to 12). */
function collectionString(annotations: Annotations, path: string): Generator {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const [min, max] = lengthBounds(annotations, path, 4, 12);
  return ({ random }) => {
    let text = '';
    const length = random.int(min, max);
    for (let index = 0; index < length; index++) text += letters[random.int(0, 25)];
    return text;
  };
}

/** bytes and fixed: a decimal's unscaled value (big-endian two's complement) or random bytes. */
function decimalOrBytes(
  schema: Record<string, unknown>,
  size: number | undefined,
  annotations: Annotations,
  path: string,
): Generator {
  if (schema.logicalType === 'decimal') {
    const precision = Number(schema.precision ?? 10);
    const largest = 10 ** Math.min(precision, 15) - 1;
    return ({ random }) => {
      const unscaled = BigInt(random.int(0, Math.min(largest, 100_000_000)));
      return twosComplement(unscaled, size);
    };
  }
  const [min, max] = size === undefined ? lengthBounds(annotations, path, 4, 16) : [size, size];
  return ({ random }) => {
    const bytes = Buffer.alloc(random.int(min, max));
    for (let index = 0; index < bytes.length; index++) bytes[index] = random.int(0, 255);
    return bytes;
  };
}

function twosComplement(value: bigint, size: number | undefined): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (parseInt(hex[0], 16) >= 8) hex = `00${hex}`; // keep it positive
  const bytes = Buffer.from(hex, 'hex');
  if (size === undefined || bytes.length >= size) return bytes;
  return Buffer.concat([Buffer.alloc(size - bytes.length), bytes]);
}

function lengthBounds(annotations: Annotations, path: string, min: number, max: number): [number, number] {
  const length = annotations.length;
  if (length === undefined) return [min, max];
  if (typeof length === 'number') return [length, length];
  if (length.max < length.min)
    throw new DatagenSchemaError(`${where(path)}arg.properties.length has min above max`);
  return [length.min, length.max];
}

/** 1 to 4 items (or the `length` annotation's bounds). */
function collection<T>(annotations: Annotations, path: string, item: ValueGenerator<T>): ValueGenerator<T[]> {
  const [min, max] = lengthBounds(annotations, path, 1, 4);
  return (context) => Array.from({ length: context.random.int(min, max) }, () => item(context));
}

function mapKey({ random }: GenerateContext): string {
  return random.pick(MAP_KEYS);
}

function singular(name: string): string {
  return name.endsWith('s') ? name.slice(0, -1) : name;
}

function bucketOf(type: string): string {
  if (type === 'int' || type === 'long' || type === 'float' || type === 'double') return 'number';
  if (type === 'bytes') return 'buffer';
  return type;
}

function qualify(name: string, namespace: string): string {
  return name.includes('.') || namespace === '' ? name : `${namespace}.${name}`;
}

function branchName(branch: AvroJson, namespace: string): string {
  if (typeof branch === 'string') return PRIMITIVES.has(branch) ? branch : qualify(branch, namespace);
  if (Array.isArray(branch)) return 'union';
  const type = branch.type;
  if (type === 'record' || type === 'error' || type === 'enum' || type === 'fixed')
    return qualify(String(branch.name), String(branch.namespace ?? namespace));
  return typeof type === 'string' ? type : 'union';
}

function where(path: string): string {
  return path ? `at ${path}: ` : '';
}
