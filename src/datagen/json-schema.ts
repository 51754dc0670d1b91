// Values for a JSON Schema: objects, strings (formats date-time, date, email, uuid, uri; pattern;
// lengths), integers and numbers within their bounds, enum and const, arrays, type lists, local $refs.
import { DatagenSchemaError } from './errors.js';
import { numberHint, stringHint, uuid, type ValueGenerator } from './hints.js';
import { regexGenerator } from './regex.js';

type Generator = ValueGenerator<unknown>;
type Schema = Record<string, unknown>;

const TYPES = ['object', 'array', 'string', 'integer', 'number', 'boolean', 'null'];
const NULL_CHANCE = 0.1;
const MAX_DEPTH = 8;

export interface JsonSchemaGenerator {
  generate: ValueGenerator<Record<string, unknown>>;
  readonly fieldNames: readonly string[];
}

export function compileJsonSchema(schema: unknown): JsonSchemaGenerator {
  if (!isSchema(schema) || schemaTypes(schema, '').join() !== 'object' || !isSchema(schema.properties))
    throw new DatagenSchemaError(
      'the JSON Schema must describe an object ("type": "object") with "properties", one per field',
    );
  const compiler = new JsonSchemaCompiler(schema);
  const root = compiler.compile(schema, '', '#');
  return {
    generate: (context) => root(context) as Record<string, unknown>,
    fieldNames: Object.keys(schema.properties),
  };
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function schemaTypes(schema: Schema, path: string): string[] {
  const type = schema.type;
  const types = type === undefined ? [] : Array.isArray(type) ? type : [type];
  for (const name of types)
    if (typeof name !== 'string' || !TYPES.includes(name))
      throw new DatagenSchemaError(
        `at ${path || '#'}: unknown JSON Schema type ${JSON.stringify(name)}; use one of ${TYPES.join(', ')}`,
      );
  return types as string[];
}

class JsonSchemaCompiler {
  #depth = 0;
  constructor(readonly root: Schema) {}

  compile(schema: unknown, name: string, path: string): Generator {
    if (schema === true || schema === undefined) return ({ random }) => random.int(0, 100);
    if (!isSchema(schema)) throw new DatagenSchemaError(`at ${path}: a schema must be an object`);
    if (typeof schema.$ref === 'string') return this.#reference(schema.$ref, name, path);
    if (Array.isArray(schema.enum)) {
      const values = schema.enum as unknown[];
      if (values.length === 0) throw new DatagenSchemaError(`at ${path}: "enum" is empty`);
      return ({ random }) => random.pick(values);
    }
    if ('const' in schema) return () => schema.const;
    const choices = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
    if (Array.isArray(choices)) {
      const generators = choices.map((choice, index) => this.compile(choice, name, `${path}/oneOf/${index}`));
      return (context) => context.random.pick(generators)(context);
    }
    let types = schemaTypes(schema, path);
    if (types.length === 0) types = [isSchema(schema.properties) ? 'object' : 'string'];
    const nullable = types.includes('null');
    const others = types
      .filter((type) => type !== 'null')
      .map((type) => this.#typed(type, schema, name, path));
    if (others.length === 0) return () => null;
    return (context) => {
      if (nullable && (this.#depth > MAX_DEPTH || context.random.chance(NULL_CHANCE))) return null;
      return (others.length === 1 ? others[0] : context.random.pick(others))(context);
    };
  }

  #reference(ref: string, name: string, path: string): Generator {
    if (!ref.startsWith('#/'))
      throw new DatagenSchemaError(
        `at ${path}: only local references (#/definitions/...) can be generated, not ${ref}`,
      );
    let target: unknown = this.root;
    for (const part of ref.slice(2).split('/'))
      target = isSchema(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    if (target === undefined) throw new DatagenSchemaError(`at ${path}: ${ref} points at nothing`);
    let compiled: Generator | undefined;
    // Compiled on first use, so a recursive definition does not recurse at compile time.
    return (context) => (compiled ??= this.compile(target, name, ref))(context);
  }

  #typed(type: string, schema: Schema, name: string, path: string): Generator {
    switch (type) {
      case 'object': {
        const properties = isSchema(schema.properties) ? schema.properties : {};
        const fields = Object.entries(properties).map(
          ([field, fieldSchema]) =>
            [field, this.compile(fieldSchema, field, `${path}/properties/${field}`)] as const,
        );
        return (context) => {
          this.#depth++;
          try {
            const value: Record<string, unknown> = {};
            for (const [field, generate] of fields) value[field] = generate(context);
            return value;
          } finally {
            this.#depth--;
          }
        };
      }
      case 'array': {
        const items = this.compile(
          schema.items,
          name.endsWith('s') ? name.slice(0, -1) : name,
          `${path}/items`,
        );
        const min = Number(schema.minItems ?? 1);
        const max = Number(schema.maxItems ?? Math.max(min, 4));
        return (context) => Array.from({ length: context.random.int(min, max) }, () => items(context));
      }
      case 'string':
        return stringGenerator(schema, name, path);
      case 'integer':
      case 'number':
        return numberGenerator(type, schema, name, path);
      case 'boolean':
        return ({ random }) => random.chance(0.5);
      default:
        return () => null;
    }
  }
}

function stringGenerator(schema: Schema, name: string, path: string): Generator {
  switch (schema.format) {
    case 'date-time':
      return ({ now }) => new Date(now).toISOString();
    case 'date':
      return ({ now, random }) => new Date(now - random.int(0, 365) * 86_400_000).toISOString().slice(0, 10);
    case 'time':
      return ({ now }) => new Date(now).toISOString().slice(11, 19) + 'Z';
    case 'email':
      return stringHint('email')!;
    case 'uuid':
      return ({ random }) => uuid(random);
    case 'uri':
      return stringHint('url')!;
  }
  if (typeof schema.pattern === 'string') {
    const generate = regexGenerator(schema.pattern);
    return ({ random }) => generate(random);
  }
  const minLength = Number(schema.minLength ?? 0);
  const maxLength = Number(schema.maxLength ?? Infinity);
  if (maxLength < minLength) throw new DatagenSchemaError(`at ${path}: maxLength is below minLength`);
  const hint = stringHint(name);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return (context) => {
    let text = hint?.(context);
    if (text === undefined || text.length < minLength || text.length > maxLength) {
      const length = context.random.int(
        Math.max(minLength, Math.min(4, maxLength)),
        Math.min(maxLength, Math.max(minLength, 12)),
      );
      text = '';
      for (let index = 0; index < length; index++) text += letters[context.random.int(0, 25)];
    }
    return text;
  };
}

function numberGenerator(type: 'integer' | 'number', schema: Schema, name: string, path: string): Generator {
  const integral = type === 'integer';
  const bound = (key: string) => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined);
  const exclusiveMin = bound('exclusiveMinimum');
  const exclusiveMax = bound('exclusiveMaximum');
  let min =
    bound('minimum') ??
    (exclusiveMin !== undefined ? exclusiveMin + (integral ? 1 : Number.EPSILON) : undefined);
  let max =
    bound('maximum') ??
    (exclusiveMax !== undefined ? exclusiveMax - (integral ? 1 : Number.EPSILON * exclusiveMax) : undefined);
  const hint = numberHint(name, integral ? 'long' : 'double');
  if (min === undefined && max === undefined && hint) return hint;
  min ??= Math.min(0, max ?? 0);
  max ??= min + (integral ? 10_000 : 1000);
  if (max < min) throw new DatagenSchemaError(`at ${path}: maximum ${max} is below minimum ${min}`);
  const low = min;
  const high = max;
  if (integral) return ({ random }) => random.int(Math.ceil(low), Math.floor(high));
  return ({ random }) => Math.min(high, Math.round(random.float(low, high) * 100) / 100);
}
