// Generates straight-line TypeScript codecs for every Kafka message spec.
// Input: /work/shared/kafka-protocol/message/*.json (JSON with // comments). Output: src/protocol/generated/.
// The output is committed, so the runtime never reads the specs.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Usage: tsx tools/generate-protocol.ts [outDir]. The specs live beside the repo, in ../shared.
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SPEC_DIR =
  process.env.KAFKA_PROTOCOL_SPECS ?? join(REPO_ROOT, '..', 'shared', 'kafka-protocol', 'message');
const OUT_DIR = process.argv[2] ?? join(REPO_ROOT, 'src', 'protocol', 'generated');
const GENERATOR = 'tools/generate-protocol.ts';

// ---------------------------------------------------------------------------------------------
// Spec parsing

interface RawField {
  name: string;
  type: string;
  versions?: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  flexibleVersions?: string;
  default?: string | number | boolean | null;
  fields?: RawField[];
}

interface RawStruct {
  name: string;
  versions?: string;
  fields: RawField[];
}

interface RawSpec {
  apiKey?: number;
  type: 'request' | 'response' | 'header' | 'data';
  name: string;
  validVersions: string;
  flexibleVersions: string;
  fields: RawField[];
  commonStructs?: RawStruct[];
}

/** Removes `//` comments while leaving `//` inside string literals alone. */
export function stripLineComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else {
      out += c;
    }
  }
  return out;
}

/** A closed version interval; `hi` is Infinity for "N+". null means "none". */
interface Range {
  lo: number;
  hi: number;
}

function parseRange(text: string | undefined): Range | null {
  if (text === undefined || text === 'none') return null;
  const t = text.trim();
  if (t.endsWith('+')) return { lo: Number(t.slice(0, -1)), hi: Infinity };
  const dash = t.indexOf('-');
  if (dash >= 0) return { lo: Number(t.slice(0, dash)), hi: Number(t.slice(dash + 1)) };
  const v = Number(t);
  if (!Number.isInteger(v)) throw new Error(`bad version range ${JSON.stringify(text)}`);
  return { lo: v, hi: v };
}

function intersect(a: Range | null, b: Range | null): Range | null {
  if (a === null || b === null) return null;
  const lo = Math.max(a.lo, b.lo);
  const hi = Math.min(a.hi, b.hi);
  return lo <= hi ? { lo, hi } : null;
}

// ---------------------------------------------------------------------------------------------
// Model

const PRIMITIVES = [
  'int8',
  'int16',
  'int32',
  'int64',
  'uint16',
  'float64',
  'bool',
  'string',
  'bytes',
  'uuid',
  'records',
] as const;
type Primitive = (typeof PRIMITIVES)[number];

type FieldType =
  | { kind: 'primitive'; name: Primitive }
  | { kind: 'struct'; struct: StructDef }
  | {
      kind: 'array';
      element: { kind: 'primitive'; name: Primitive } | { kind: 'struct'; struct: StructDef };
    };

interface FieldDef {
  specName: string;
  prop: string;
  type: FieldType;
  versions: Range | null;
  nullable: Range | null;
  /** Versions in which the field travels in the tagged section (null: never tagged). */
  tagged: Range | null;
  tag: number;
  /** Field-level override of the message's flexible versions (compact encoding), undefined if none. */
  flexibleOverride: Range | null | undefined;
  rawDefault: string | undefined;
}

interface StructDef {
  tsName: string;
  /** Versions in which this struct can appear; conditions are simplified against it. */
  context: Range;
  fields: FieldDef[];
  /** Canonical text of the definition, used to tell same-named structs apart. */
  signature: string;
}

interface MessageModel {
  file: string;
  spec: RawSpec;
  module: string;
  valid: Range;
  flexible: Range | null;
  root: StructDef;
  structs: StructDef[];
}

const RESERVED_NAMES = new Set([
  'Reader',
  'Writer',
  'Uuid',
  'RecordSet',
  'ProtocolError',
  'Buffer',
  'Array',
  'Object',
]);

function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

function signatureOf(fields: RawField[]): string {
  return JSON.stringify(fields, (key, value: unknown) => (key === 'about' ? undefined : value));
}

function buildModel(file: string, spec: RawSpec): MessageModel {
  const valid = parseRange(spec.validVersions);
  if (valid === null) throw new Error(`${file}: no valid versions`);
  const structs: StructDef[] = [];
  const byName = new Map<string, StructDef>();
  const taken = new Set<string>([spec.name]);

  const uniqueName = (wanted: string, parentName: string): string => {
    let name = RESERVED_NAMES.has(wanted) || taken.has(wanted) ? parentName + wanted : wanted;
    for (let n = 2; taken.has(name); n++) name = `${parentName}${wanted}${n}`;
    taken.add(name);
    return name;
  };

  const common = new Map<string, RawStruct>();
  for (const cs of spec.commonStructs ?? []) common.set(cs.name, cs);

  // Structs are registered before their fields are resolved so recursion through common structs terminates.
  const declareStruct = (
    specName: string,
    fields: RawField[],
    context: Range,
    parentName: string,
  ): StructDef => {
    const signature = signatureOf(fields);
    const existing = byName.get(specName);
    if (existing && existing.signature === signature) {
      existing.context = {
        lo: Math.min(existing.context.lo, context.lo),
        hi: Math.max(existing.context.hi, context.hi),
      };
      return existing;
    }
    const tsName = uniqueName(specName, parentName);
    const def: StructDef = { tsName, context, fields: [], signature };
    if (!existing) byName.set(specName, def);
    structs.push(def);
    def.fields = fields.map((f) => resolveField(f, def));
    return def;
  };

  const resolveStruct = (typeName: string, raw: RawField, parent: StructDef): StructDef => {
    const context = intersect(parent.context, parseRange(raw.versions)) ?? parent.context;
    if (raw.fields) return declareStruct(typeName, raw.fields, context, parent.tsName);
    const cs = common.get(typeName);
    if (!cs) throw new Error(`${file}: unknown type ${typeName} in field ${raw.name}`);
    const already = byName.get(typeName);
    if (already && already.signature === signatureOf(cs.fields)) return already;
    // Common structs may appear under several fields, so they are checked against all message versions.
    return declareStruct(typeName, cs.fields, valid, parent.tsName);
  };

  const resolveField = (raw: RawField, parent: StructDef): FieldDef => {
    let type: FieldType;
    if (raw.type.startsWith('[]')) {
      const elem = raw.type.slice(2);
      type = (PRIMITIVES as readonly string[]).includes(elem)
        ? { kind: 'array', element: { kind: 'primitive', name: elem as Primitive } }
        : { kind: 'array', element: { kind: 'struct', struct: resolveStruct(elem, raw, parent) } };
    } else if ((PRIMITIVES as readonly string[]).includes(raw.type)) {
      type = { kind: 'primitive', name: raw.type as Primitive };
    } else {
      type = { kind: 'struct', struct: resolveStruct(raw.type, raw, parent) };
    }
    const versions = parseRange(raw.versions);
    return {
      specName: raw.name,
      prop: camel(raw.name),
      type,
      versions,
      nullable: parseRange(raw.nullableVersions),
      tagged: raw.tag === undefined ? null : intersect(versions, parseRange(raw.taggedVersions)),
      tag: raw.tag ?? -1,
      flexibleOverride: raw.flexibleVersions === undefined ? undefined : parseRange(raw.flexibleVersions),
      rawDefault: raw.default === undefined || raw.default === null ? undefined : String(raw.default),
    };
  };

  const root: StructDef = { tsName: spec.name, context: valid, fields: [], signature: '' };
  structs.push(root);
  root.fields = spec.fields.map((f) => resolveField(f, root));
  // Common structs nobody references (rare) still get types, for completeness.
  for (const cs of spec.commonStructs ?? [])
    if (!byName.has(cs.name)) declareStruct(cs.name, cs.fields, valid, spec.name);

  return {
    file,
    spec,
    module: kebab(spec.name),
    valid,
    flexible: parseRange(spec.flexibleVersions),
    root,
    structs,
  };
}

// ---------------------------------------------------------------------------------------------
// Code generation helpers

/** A version condition: known at generation time (boolean) or a runtime expression. */
type Cond = boolean | string;

function rangeCond(range: Range | null, context: Range): Cond {
  const r = intersect(range, context);
  if (r === null) return false;
  const parts: string[] = [];
  if (r.lo > context.lo) parts.push(`version >= ${r.lo}`);
  if (r.hi < context.hi) parts.push(`version <= ${r.hi}`);
  return parts.length === 0 ? true : parts.join(' && ');
}

function select(cond: Cond, whenTrue: string, whenFalse: string): string {
  if (cond === true) return whenTrue;
  if (cond === false) return whenFalse;
  const wrap = (e: string): string => (e.includes(' ? ') ? `(${e})` : e);
  return `${cond} ? ${wrap(whenTrue)} : ${wrap(whenFalse)}`;
}

function andCond(a: Cond, b: Cond): Cond {
  if (a === false || b === false) return false;
  if (a === true) return b;
  if (b === true) return a;
  return `${a} && ${b}`;
}

/** A single-quoted TypeScript string literal. */
function quote(text: string): string {
  return `'${JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** Negates a generated boolean expression, keeping simple comparisons readable. */
function negate(expr: string): string {
  if (!expr.includes('&&') && !expr.includes('||')) {
    if (expr.includes(' === ')) return expr.replace(' === ', ' !== ');
    if (expr.startsWith('is')) return `!${expr}`;
  }
  return `!(${expr})`;
}

function parseInteger(text: string): string {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const value = BigInt(body);
  return (negative ? -value : value).toString();
}

class ModuleWriter {
  readonly lines: string[] = [];
  readonly imports = new Set<string>();
  readonly supportImports = new Set<string>();
  readonly isDefaultNeeded = new Set<StructDef>();

  constructor(readonly model: MessageModel) {}

  emit(indent: number, text: string): void {
    this.lines.push('  '.repeat(indent) + text);
  }

  // Types ---------------------------------------------------------------

  isNullable(f: FieldDef): boolean {
    return f.nullable !== null || (f.type.kind === 'primitive' && f.type.name === 'records');
  }

  elementType(t: FieldType): string {
    if (t.kind === 'struct') return t.struct.tsName;
    if (t.kind === 'array') throw new Error('nested arrays are not in the protocol');
    switch (t.name) {
      case 'int8':
      case 'int16':
      case 'int32':
      case 'uint16':
      case 'float64':
        return 'number';
      case 'int64':
        return 'bigint';
      case 'bool':
        return 'boolean';
      case 'string':
        return 'string';
      case 'bytes':
        return 'Buffer';
      case 'uuid':
        this.imports.add('type Uuid');
        return 'Uuid';
      case 'records':
        this.imports.add('type RecordSet');
        return 'RecordSet';
    }
  }

  tsType(f: FieldDef): string {
    const base = f.type.kind === 'array' ? `${this.elementType(f.type.element)}[]` : this.elementType(f.type);
    return this.isNullable(f) ? `${base} | null` : base;
  }

  defaultExpr(f: FieldDef): string {
    const d = f.rawDefault;
    const t = f.type;
    if (d === 'null') {
      if (!this.isNullable(f))
        throw new Error(`${this.model.file}: ${f.specName} defaults to null but is never nullable`);
      return 'null';
    }
    if (t.kind === 'array') return '[]';
    if (t.kind === 'struct') return `default${t.struct.tsName}()`;
    switch (t.name) {
      case 'int8':
      case 'int16':
      case 'int32':
      case 'uint16':
        return d === undefined || d === '' ? '0' : parseInteger(d);
      case 'float64':
        return d === undefined || d === '' ? '0' : String(Number(d));
      case 'int64':
        return `${d === undefined || d === '' ? '0' : parseInteger(d)}n`;
      case 'bool':
        return d === 'true' ? 'true' : 'false';
      case 'string':
        return quote(d ?? '');
      case 'bytes':
        this.supportImports.add('EMPTY_BUFFER');
        return 'EMPTY_BUFFER';
      case 'uuid':
        this.imports.add('ZERO_UUID');
        return 'ZERO_UUID';
      case 'records':
        return 'null';
    }
  }

  /** An expression that is true when `value` equals the field's default (used to skip tagged fields). */
  isDefaultExpr(f: FieldDef, value: string): string {
    const t = f.type;
    const d = f.rawDefault;
    if (d === 'null' || (t.kind === 'primitive' && t.name === 'records')) return `${value} === null`;
    const nullGuard = this.isNullable(f) ? `${value} !== null && ` : '';
    if (t.kind === 'array') return `${nullGuard}${value}.length === 0`;
    if (t.kind === 'struct') {
      this.isDefaultNeeded.add(t.struct);
      return `${nullGuard}isDefault${t.struct.tsName}(${value})`;
    }
    if (t.name === 'bytes') return `${nullGuard}${value}.length === 0`;
    return `${value} === ${this.defaultExpr(f)}`;
  }

  // Reading ---------------------------------------------------------------

  primitiveRead(name: Primitive, flex: Cond, nullable: Cond): string {
    switch (name) {
      case 'int8':
      case 'int16':
      case 'int32':
      case 'int64':
      case 'uint16':
      case 'float64':
      case 'bool':
      case 'uuid':
        return `r.${name}()`;
      case 'string':
        return select(
          nullable,
          select(flex, 'r.compactNullableString()', 'r.nullableString()'),
          select(flex, 'r.compactString()', 'r.string()'),
        );
      case 'bytes':
        return select(
          nullable,
          select(flex, 'r.compactNullableBytes()', 'r.nullableBytes()'),
          select(flex, 'r.compactBytes()', 'r.bytes()'),
        );
      case 'records':
        return select(flex, 'r.compactNullableBytes()', 'r.nullableBytes()');
    }
  }

  /** Statements assigning the wire value of `f` to `target`. */
  readInto(indent: number, target: string, f: FieldDef, flex: Cond, nullable: Cond, inBlock = false): void {
    const t = f.type;
    if (t.kind === 'primitive') {
      this.emit(indent, `${target} = ${this.primitiveRead(t.name, flex, nullable)};`);
      return;
    }
    if (t.kind === 'struct') {
      const read = `read${t.struct.tsName}(r, version)`;
      this.emit(indent, `${target} = ${select(nullable, `r.int8() < 0 ? null : ${read}`, read)};`);
      return;
    }
    const elem = t.element;
    const elemType = this.elementType(elem);
    const readElem =
      elem.kind === 'struct'
        ? `read${elem.struct.tsName}(r, version)`
        : this.primitiveRead(elem.name, flex, false);
    if (!inBlock) this.emit(indent++, `{`);
    this.emit(
      indent,
      `const n = r.arrayLength(${flex === true ? 'true' : flex === false ? 'false' : flex});`,
    );
    if (nullable !== true) {
      const nullCheck = nullable === false ? 'n < 0' : `n < 0 && !(${nullable})`;
      this.emit(
        indent,
        `if (${nullCheck}) throw new ProtocolError('null given for non-nullable array ${f.specName}');`,
      );
      this.imports.add('ProtocolError');
    }
    const fill = [
      `const items: ${elemType}[] = [];`,
      `for (let i = 0; i < n; i++) items.push(${readElem});`,
      `${target} = items;`,
    ];
    if (nullable === false) {
      for (const line of fill) this.emit(indent, line);
    } else {
      this.emit(indent, `if (n < 0) ${target} = null;`);
      this.emit(indent, `else {`);
      for (const line of fill) this.emit(indent + 1, line);
      this.emit(indent, `}`);
    }
    if (!inBlock) this.emit(indent - 1, `}`);
  }

  // Writing ---------------------------------------------------------------

  nonNull(value: string, f: FieldDef): string {
    this.supportImports.add('nonNull');
    return `nonNull(${value}, '${f.specName}')`;
  }

  primitiveWrite(w: string, name: Primitive, value: string, flex: Cond, nullable: Cond, f: FieldDef): string {
    const nonNullValue = this.isNullable(f) ? this.nonNull(value, f) : value;
    switch (name) {
      case 'int8':
      case 'int16':
      case 'int32':
      case 'int64':
      case 'uint16':
      case 'float64':
      case 'bool':
      case 'uuid':
        return `${w}.${name}(${value});`;
      case 'string':
      case 'bytes': {
        const suffix = name === 'string' ? 'String' : 'Bytes';
        const plain = name === 'string' ? 'string' : 'bytes';
        if (nullable === true)
          return flex === true
            ? `${w}.compactNullable${suffix}(${value});`
            : flex === false
              ? `${w}.nullable${suffix}(${value});`
              : `if (${flex}) ${w}.compactNullable${suffix}(${value}); else ${w}.nullable${suffix}(${value});`;
        const whenNotNullable =
          flex === true
            ? `${w}.compact${suffix}(${nonNullValue});`
            : flex === false
              ? `${w}.${plain}(${nonNullValue});`
              : `if (${flex}) ${w}.compact${suffix}(${nonNullValue}); else ${w}.${plain}(${nonNullValue});`;
        if (nullable === false) return whenNotNullable;
        const whenNullable =
          flex === true
            ? `${w}.compactNullable${suffix}(${value});`
            : flex === false
              ? `${w}.nullable${suffix}(${value});`
              : `if (${flex}) ${w}.compactNullable${suffix}(${value}); else ${w}.nullable${suffix}(${value});`;
        return `if (${nullable}) { ${whenNullable} } else { ${whenNotNullable} }`;
      }
      case 'records':
        return `${w}.records(${value}, ${flex === true ? 'true' : flex === false ? 'false' : flex});`;
    }
  }

  writeValue(
    indent: number,
    w: string,
    f: FieldDef,
    value: string,
    flex: Cond,
    nullable: Cond,
    inBlock = false,
  ): void {
    const t = f.type;
    if (t.kind === 'primitive') {
      this.emit(indent, this.primitiveWrite(w, t.name, value, flex, nullable, f));
      return;
    }
    if (t.kind === 'struct') {
      const name = t.struct.tsName;
      if (nullable === false) {
        this.emit(
          indent,
          `write${name}(${w}, version, ${this.isNullable(f) ? this.nonNull(value, f) : value});`,
        );
        return;
      }
      const marked = `if (${value} === null) ${w}.int8(-1); else { ${w}.int8(1); write${name}(${w}, version, ${value}); }`;
      if (nullable === true) this.emit(indent, marked);
      else
        this.emit(
          indent,
          `if (${nullable}) { ${marked} } else write${name}(${w}, version, ${this.nonNull(value, f)});`,
        );
      return;
    }
    const flexText = flex === true ? 'true' : flex === false ? 'false' : flex;
    const elem = t.element;
    if (!inBlock) this.emit(indent++, `{`);
    const arrayValue = this.isNullable(f) && nullable !== true ? this.nonNull(value, f) : value;
    let loop: string;
    if (elem.kind === 'struct') {
      loop = `for (let i = 0; i < items.length; i++) write${elem.struct.tsName}(${w}, version, items[i]);`;
    } else {
      const elemField: FieldDef = { ...f, type: elem, nullable: null };
      loop = `for (let i = 0; i < items.length; i++) ${this.primitiveWrite(w, elem.name, 'items[i]', flex, false, elemField)}`;
    }
    if (this.isNullable(f) && nullable !== false) {
      // A null is allowed only in the versions where the field is nullable.
      this.emit(
        indent,
        `const items = ${nullable === true ? value : `${nullable} ? ${value} : ${arrayValue}`};`,
      );
      this.emit(indent, `${w}.arrayLength(items === null ? null : items.length, ${flexText});`);
      this.emit(indent, `if (items !== null) ${loop}`);
    } else {
      this.emit(indent, `const items = ${arrayValue};`);
      this.emit(indent, `${w}.arrayLength(items.length, ${flexText});`);
      this.emit(indent, loop);
    }
    if (!inBlock) this.emit(indent - 1, `}`);
  }

  // Structs ---------------------------------------------------------------

  structFlexCond(s: StructDef): Cond {
    return rangeCond(this.model.flexible, s.context);
  }

  /** The condition for compact encoding of one field, evaluated where the field is present. */
  fieldFlexCond(f: FieldDef, presentIn: Range, structFlex: Cond): Cond {
    if (f.flexibleOverride !== undefined) return rangeCond(f.flexibleOverride, presentIn);
    const c = rangeCond(this.model.flexible, presentIn);
    return typeof c === 'string' && typeof structFlex === 'string' ? 'flexible' : c;
  }

  generateInterface(s: StructDef): void {
    this.emit(0, `export interface ${s.tsName} {`);
    for (const f of s.fields) this.emit(1, `${f.prop}: ${this.tsType(f)};`);
    this.emit(0, `}`);
    this.emit(0, '');
  }

  generateDefault(s: StructDef): void {
    this.emit(0, `export function default${s.tsName}(): ${s.tsName} {`);
    if (s.fields.length === 0) this.emit(1, `return {};`);
    else {
      this.emit(1, `return {`);
      for (const f of s.fields) this.emit(2, `${f.prop}: ${this.defaultExpr(f)},`);
      this.emit(1, `};`);
    }
    this.emit(0, `}`);
    this.emit(0, '');
  }

  generateIsDefault(s: StructDef): void {
    this.emit(0, `function isDefault${s.tsName}(m: ${s.tsName}): boolean {`);
    if (s.fields.length === 0) this.emit(1, `return true;`);
    else {
      const parts = s.fields.map((f) => {
        const e = this.isDefaultExpr(f, `m.${f.prop}`);
        return e.includes('&&') ? `(${e})` : e;
      });
      this.emit(1, `return (`);
      parts.forEach((p, i) => this.emit(2, i === 0 ? p : `&& ${p}`));
      this.emit(1, `);`);
    }
    this.emit(0, `}`);
    this.emit(0, '');
  }

  generateRead(s: StructDef): void {
    const structFlex = this.structFlexCond(s);
    let usesFlexible = false;
    const flexText = (c: Cond): Cond => {
      if (c === 'flexible') usesFlexible = true;
      return c;
    };
    this.emit(0, `export function read${s.tsName}(r: Reader, version: number): ${s.tsName} {`);
    const bodyStart = this.lines.length;
    for (const f of s.fields) {
      const local = `_${f.prop}`;
      const type = this.tsType(f);
      if (f.tagged !== null) {
        this.emit(1, `let ${local}: ${type} = ${this.defaultExpr(f)};`);
        continue;
      }
      const present = rangeCond(f.versions, s.context);
      const presentIn = intersect(f.versions, s.context);
      if (present === false || presentIn === null) {
        this.emit(1, `const ${local}: ${type} = ${this.defaultExpr(f)};`);
        continue;
      }
      const flex = flexText(this.fieldFlexCond(f, presentIn, structFlex));
      const nullable = rangeCond(f.nullable, presentIn);
      if (f.type.kind === 'array') {
        this.emit(1, `let ${local}: ${type};`);
        if (present === true) this.readInto(1, local, f, flex, nullable);
        else {
          this.emit(1, `if (${present}) {`);
          this.readInto(2, local, f, flex, nullable, true);
          this.emit(1, `} else ${local} = ${this.defaultExpr(f)};`);
        }
        continue;
      }
      const probe: string[] = [];
      const saved = this.lines.length;
      this.readInto(0, 'X', f, flex, nullable);
      probe.push(...this.lines.splice(saved));
      const expr = probe[0].slice('X = '.length, -1);
      this.emit(
        1,
        `const ${local}: ${type} = ${present === true ? expr : `${present} ? ${expr.includes('?') ? `(${expr})` : expr} : ${this.defaultExpr(f)}`};`,
      );
    }
    const tagged = s.fields.filter((f) => f.tagged !== null).sort((a, b) => a.tag - b.tag);
    if (structFlex !== false) {
      // Tagged sections exist only in flexible versions, so conditions there are simplified against those.
      const flexibleContext = intersect(this.model.flexible, s.context) ?? s.context;
      const open = structFlex === true ? null : flexText('flexible');
      const indent = open === null ? 1 : 2;
      if (open !== null) this.emit(1, `if (flexible) {`);
      if (tagged.length === 0) {
        this.supportImports.add('skipTaggedFields');
        this.emit(indent, `skipTaggedFields(r);`);
      } else {
        this.imports.add('ProtocolError');
        this.emit(indent, `const tagCount = r.uvarint();`);
        this.emit(indent, `for (let t = 0; t < tagCount; t++) {`);
        this.emit(indent + 1, `const tag = r.uvarint();`);
        this.emit(indent + 1, `const size = r.uvarint();`);
        this.emit(indent + 1, `const end = r.pos + size;`);
        tagged.forEach((f, i) => {
          const when = andCond(`tag === ${f.tag}`, rangeCond(f.tagged, flexibleContext));
          this.emit(indent + 1, `${i === 0 ? 'if' : '} else if'} (${when}) {`);
          this.readInto(
            indent + 2,
            `_${f.prop}`,
            f,
            true,
            rangeCond(f.nullable, f.tagged ?? s.context),
            true,
          );
        });
        this.emit(indent + 1, `} else {`);
        this.emit(indent + 2, `r.skip(size);`);
        this.emit(indent + 2, `continue;`);
        this.emit(indent + 1, `}`);
        this.emit(
          indent + 1,
          'if (r.pos !== end) throw new ProtocolError(`tagged field ${tag} of ' +
            s.tsName +
            ' has size ${size} but its value took ${r.pos - end + size} bytes`);',
        );
        this.emit(indent, `}`);
      }
      if (open !== null) this.emit(1, `}`);
    }
    if (s.fields.length === 0) this.emit(1, `return {};`);
    else {
      this.emit(1, `return {`);
      for (const f of s.fields) this.emit(2, `${f.prop}: _${f.prop},`);
      this.emit(1, `};`);
    }
    this.emit(0, `}`);
    this.emit(0, '');
    if (usesFlexible) this.lines.splice(bodyStart, 0, `  const flexible = ${structFlex};`);
  }

  generateWrite(s: StructDef): void {
    const structFlex = this.structFlexCond(s);
    let usesFlexible = false;
    const flexText = (c: Cond): Cond => {
      if (c === 'flexible') usesFlexible = true;
      return c;
    };
    this.emit(0, `export function write${s.tsName}(w: Writer, version: number, m: ${s.tsName}): void {`);
    const bodyStart = this.lines.length;
    for (const f of s.fields) {
      if (f.tagged !== null) continue;
      const present = rangeCond(f.versions, s.context);
      const presentIn = intersect(f.versions, s.context);
      if (present === false || presentIn === null) continue;
      const flex = flexText(this.fieldFlexCond(f, presentIn, structFlex));
      const nullable = rangeCond(f.nullable, presentIn);
      if (present === true) this.writeValue(1, 'w', f, `m.${f.prop}`, flex, nullable);
      else {
        this.emit(1, `if (${present}) {`);
        this.writeValue(2, 'w', f, `m.${f.prop}`, flex, nullable, true);
        this.emit(1, `}`);
      }
    }
    const tagged = s.fields.filter((f) => f.tagged !== null).sort((a, b) => a.tag - b.tag);
    if (structFlex !== false) {
      // Tagged sections exist only in flexible versions, so conditions there are simplified against those.
      const flexibleContext = intersect(this.model.flexible, s.context) ?? s.context;
      const open = structFlex === true ? null : flexText('flexible');
      const indent = open === null ? 1 : 2;
      if (open !== null) this.emit(1, `if (flexible) {`);
      const live = tagged.filter((f) => rangeCond(f.tagged, flexibleContext) !== false);
      if (live.length === 0) this.emit(indent, `w.uvarint(0);`);
      else {
        for (const f of live) {
          const when = andCond(
            rangeCond(f.tagged, flexibleContext),
            negate(this.isDefaultExpr(f, `m.${f.prop}`)),
          );
          this.emit(indent, `const has${f.tag} = ${when};`);
        }
        const count =
          live.length === 1
            ? `has${live[0].tag} ? 1 : 0`
            : live.map((f) => `(has${f.tag} ? 1 : 0)`).join(' + ');
        this.emit(indent, `w.uvarint(${count});`);
        this.supportImports.add('writeTaggedField');
        this.imports.add('Writer');
        for (const f of live) {
          this.emit(indent, `if (has${f.tag}) {`);
          this.emit(indent + 1, `const t = new Writer(64);`);
          this.writeValue(
            indent + 1,
            't',
            f,
            `m.${f.prop}`,
            true,
            rangeCond(f.nullable, f.tagged ?? s.context),
            true,
          );
          this.emit(indent + 1, `writeTaggedField(w, ${f.tag}, t);`);
          this.emit(indent, `}`);
        }
      }
      if (open !== null) this.emit(1, `}`);
    }
    this.emit(0, `}`);
    this.emit(0, '');
    if (usesFlexible) this.lines.splice(bodyStart, 0, `  const flexible = ${structFlex};`);
  }

  generate(): string {
    const m = this.model;
    // The root struct first so the file reads top-down.
    const ordered = [m.root, ...m.structs.filter((s) => s !== m.root)];
    for (const s of ordered) this.generateInterface(s);
    for (const s of ordered) this.generateDefault(s);
    for (const s of ordered) this.generateRead(s);
    for (const s of ordered) this.generateWrite(s);
    const done = new Set<StructDef>();
    for (;;) {
      const next = [...this.isDefaultNeeded].find((s) => !done.has(s));
      if (!next) break;
      done.add(next);
      this.generateIsDefault(next);
    }
    const imports = ['type Reader', ...[...this.imports].filter((i) => i !== 'type Reader')];
    if (!imports.includes('Writer')) imports.push('type Writer');
    const sortKey = (s: string): string => s.replace(/^type /, '');
    imports.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    const header = [
      `// Generated by ${GENERATOR} from ${m.file}. Do not edit.`,
      '',
      `import { ${imports.join(', ')} } from '../primitives.js';`,
    ];
    if (this.supportImports.size > 0) {
      header.push(`import { ${[...this.supportImports].sort().join(', ')} } from './support.js';`);
    }
    header.push('');
    while (this.lines.length > 0 && this.lines[this.lines.length - 1] === '') this.lines.pop();
    return [...header, ...this.lines, ''].join('\n');
  }
}

// ---------------------------------------------------------------------------------------------
// Shared modules

function supportModule(): string {
  return `// Generated by ${GENERATOR}. Do not edit.
// Small helpers shared by the generated codecs.

import { ProtocolError, type Reader, type Writer } from '../primitives.js';

/** Default for non-nullable bytes fields; zero-length, so sharing it is safe. */
export const EMPTY_BUFFER: Buffer = Buffer.alloc(0);

/** Guards a value of a field that may be null only in some versions. */
export function nonNull<T>(value: T | null, field: string): T {
  if (value === null) throw new ProtocolError(\`field \${field} cannot be null in this version\`);
  return value;
}

/** Skips a tagged-field section whose tags this struct does not know. */
export function skipTaggedFields(r: Reader): void {
  const count = r.uvarint();
  for (let i = 0; i < count; i++) {
    r.uvarint();
    r.skip(r.uvarint());
  }
}

/** Appends one tagged field: tag, size, then the value already encoded into \`value\`. */
export function writeTaggedField(w: Writer, tag: number, value: Writer): void {
  w.uvarint(tag);
  w.uvarint(value.length);
  for (const chunk of value.chunksOut()) w.raw(chunk);
}
`;
}

function apisModule(models: MessageModel[]): string {
  const requests = new Map<number, MessageModel>();
  const responses = new Map<number, MessageModel>();
  for (const m of models) {
    if (m.spec.apiKey === undefined) continue;
    if (m.spec.type === 'request') requests.set(m.spec.apiKey, m);
    if (m.spec.type === 'response') responses.set(m.spec.apiKey, m);
  }
  const keys = [...requests.keys()].sort((a, b) => a - b);
  const lines: string[] = [`// Generated by ${GENERATOR} from all message specs. Do not edit.`, ''];
  lines.push(`import { ProtocolError, type Reader, type Writer } from '../primitives.js';`);
  for (const key of keys) {
    for (const m of [requests.get(key), responses.get(key)]) {
      if (!m) throw new Error(`api key ${key} lacks a request or a response`);
      const n = m.spec.name;
      lines.push(`import { default${n}, read${n}, write${n}, type ${n} } from './${m.module}.js';`);
    }
  }
  lines.push('');
  lines.push('/** Every API key Venice can decode, by name. */');
  lines.push('export const ApiKey = {');
  const apiName = (key: number): string => requests.get(key)!.spec.name.replace(/Request$/, '');
  for (const key of keys) lines.push(`  ${apiName(key)}: ${key},`);
  lines.push('} as const;');
  lines.push('export type ApiKey = (typeof ApiKey)[keyof typeof ApiKey];');
  lines.push('');
  lines.push('export interface ApiSpec {');
  lines.push('  name: string;');
  lines.push('  minVersion: number;');
  lines.push('  maxVersion: number;');
  lines.push('  /** First flexible (KIP-482) version; Infinity if the API never became flexible. */');
  lines.push('  flexibleFrom: number;');
  lines.push('}');
  lines.push('');
  lines.push('export const API_SPECS: Record<number, ApiSpec> = {');
  for (const key of keys) {
    const req = requests.get(key)!;
    const res = responses.get(key)!;
    if (req.valid.lo !== res.valid.lo || req.valid.hi !== res.valid.hi) {
      throw new Error(`${apiName(key)}: request and response versions differ`);
    }
    const flexFrom = (m: MessageModel): string => (m.flexible === null ? 'Infinity' : String(m.flexible.lo));
    if (flexFrom(req) !== flexFrom(res))
      throw new Error(`${apiName(key)}: request and response flexible versions differ`);
    lines.push(
      `  ${key}: { name: '${apiName(key)}', minVersion: ${req.valid.lo}, maxVersion: ${req.valid.hi}, flexibleFrom: ${flexFrom(req)} },`,
    );
  }
  lines.push('};');
  lines.push('');
  for (const [title, table] of [
    ['RequestTypes', requests],
    ['ResponseTypes', responses],
  ] as const) {
    lines.push(`export interface ${title} {`);
    for (const key of keys) lines.push(`  ${key}: ${table.get(key)!.spec.name};`);
    lines.push('}');
    lines.push('');
  }
  lines.push('/** An API key that has generated codecs. */');
  lines.push('export type ApiKeyNumber = keyof RequestTypes;');
  lines.push('');
  lines.push('export interface BodyCodec<T> {');
  lines.push('  read(r: Reader, version: number): T;');
  lines.push('  write(w: Writer, version: number, m: T): void;');
  lines.push('  create(): T;');
  lines.push('}');
  lines.push('');
  for (const [constName, title, table] of [
    ['REQUEST_CODECS', 'RequestTypes', requests],
    ['RESPONSE_CODECS', 'ResponseTypes', responses],
  ] as const) {
    lines.push(`export const ${constName}: { [K in ApiKeyNumber]: BodyCodec<${title}[K]> } = {`);
    for (const key of keys) {
      const n = table.get(key)!.spec.name;
      lines.push(`  ${key}: { read: read${n}, write: write${n}, create: default${n} },`);
    }
    lines.push('};');
    lines.push('');
  }
  lines.push(`export function isApiKey(key: number): key is ApiKeyNumber {
  return Object.prototype.hasOwnProperty.call(API_SPECS, key);
}

export function isSupportedVersion(key: number, version: number): boolean {
  const spec = API_SPECS[key];
  return spec !== undefined && version >= spec.minVersion && version <= spec.maxVersion;
}

function checkVersion(key: number, version: number): void {
  if (!isSupportedVersion(key, version)) {
    throw new ProtocolError(\`unsupported api key \${key} version \${version}\`);
  }
}

export function readRequestBody<K extends ApiKeyNumber>(key: K, version: number, r: Reader): RequestTypes[K] {
  checkVersion(key, version);
  return REQUEST_CODECS[key].read(r, version);
}

export function writeRequestBody<K extends ApiKeyNumber>(key: K, version: number, w: Writer, msg: RequestTypes[K]): void {
  checkVersion(key, version);
  REQUEST_CODECS[key].write(w, version, msg);
}

export function readResponseBody<K extends ApiKeyNumber>(key: K, version: number, r: Reader): ResponseTypes[K] {
  checkVersion(key, version);
  return RESPONSE_CODECS[key].read(r, version);
}

export function writeResponseBody<K extends ApiKeyNumber>(key: K, version: number, w: Writer, msg: ResponseTypes[K]): void {
  checkVersion(key, version);
  RESPONSE_CODECS[key].write(w, version, msg);
}

/** A request with every field at its default. */
export function defaultRequestBody<K extends ApiKeyNumber>(key: K): RequestTypes[K] {
  return REQUEST_CODECS[key].create();
}

/** A response with every field at its default, for handlers to fill in. */
export function defaultResponseBody<K extends ApiKeyNumber>(key: K): ResponseTypes[K] {
  return RESPONSE_CODECS[key].create();
}
`);
  return lines.join('\n');
}

/** Field metadata for tests and fuzzers only; the codecs themselves never consult it. */
function schemaInfoModule(models: MessageModel[]): string {
  const range = (r: Range | null): string =>
    r === null ? 'null' : `[${r.lo}, ${r.hi === Infinity ? 'Infinity' : r.hi}]`;
  const typeText = (t: FieldType): string => {
    if (t.kind === 'primitive') return t.name;
    if (t.kind === 'struct') return `struct:${t.struct.tsName}`;
    return `[]${t.element.kind === 'primitive' ? t.element.name : `struct:${t.element.struct.tsName}`}`;
  };
  const lines: string[] = [
    `// Generated by ${GENERATOR} from all message specs. Do not edit.`,
    '// Describes fields for tests and fuzzers; the codecs never read it.',
    '',
    'export type VersionRange = readonly [number, number] | null;',
    '',
    'export interface FieldInfo {',
    '  name: string;',
    "  /** A primitive name, 'struct:Name', or '[]' followed by either. */",
    '  type: string;',
    '  versions: VersionRange;',
    '  nullableVersions: VersionRange;',
    '  /** Versions where the field is a tagged field (null: never). */',
    '  taggedVersions: VersionRange;',
    '  tag: number;',
    '  /** Field-level flexible override, undefined when the message setting applies. */',
    '  flexibleVersions?: VersionRange;',
    '}',
    '',
    'export interface MessageInfo {',
    '  /** Module name under src/protocol/generated, without extension. */',
    '  module: string;',
    '  name: string;',
    "  kind: 'request' | 'response' | 'header' | 'data';",
    '  apiKey: number;',
    '  validVersions: readonly [number, number];',
    '  flexibleVersions: VersionRange;',
    '  structs: Record<string, readonly FieldInfo[]>;',
    '}',
    '',
    'export const SCHEMA_INFO: readonly MessageInfo[] = [',
  ];
  for (const m of models) {
    lines.push('  {');
    lines.push(`    module: '${m.module}',`);
    lines.push(`    name: '${m.spec.name}',`);
    lines.push(`    kind: '${m.spec.type}',`);
    lines.push(`    apiKey: ${m.spec.apiKey ?? -1},`);
    lines.push(`    validVersions: ${range(m.valid)},`);
    lines.push(`    flexibleVersions: ${range(m.flexible)},`);
    lines.push('    structs: {');
    for (const s of m.structs) {
      lines.push(`      ${s.tsName}: [`);
      for (const f of s.fields) {
        const extra =
          f.flexibleOverride === undefined ? '' : `, flexibleVersions: ${range(f.flexibleOverride)}`;
        lines.push(
          `        { name: '${f.prop}', type: '${typeText(f.type)}', versions: ${range(f.versions)}, nullableVersions: ${range(f.nullable)}, taggedVersions: ${range(f.tagged)}, tag: ${f.tag}${extra} },`,
        );
      }
      lines.push('      ],');
    }
    lines.push('    },');
    lines.push('  },');
  }
  lines.push('];');
  lines.push('');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------

function main(): void {
  if (!existsSync(SPEC_DIR)) {
    process.stderr.write(
      `generate-protocol: no Kafka protocol specs at ${SPEC_DIR}.\n` +
        'Put them in ../shared/kafka-protocol/message beside the repo, or set KAFKA_PROTOCOL_SPECS.\n',
    );
    process.exitCode = 1;
    return;
  }
  const files = readdirSync(SPEC_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const models = files.map((file) => {
    const spec = JSON.parse(stripLineComments(readFileSync(join(SPEC_DIR, file), 'utf8'))) as RawSpec;
    return buildModel(file, spec);
  });
  mkdirSync(OUT_DIR, { recursive: true });
  // Remove stale output (e.g. a spec that went away), but only files this generator wrote.
  for (const name of readdirSync(OUT_DIR)) {
    const path = join(OUT_DIR, name);
    if (name.endsWith('.ts') && readFileSync(path, 'utf8').startsWith(`// Generated by ${GENERATOR}`))
      rmSync(path);
  }
  for (const m of models) writeFileSync(join(OUT_DIR, `${m.module}.ts`), new ModuleWriter(m).generate());
  writeFileSync(join(OUT_DIR, 'support.ts'), supportModule());
  writeFileSync(join(OUT_DIR, 'apis.ts'), apisModule(models));
  writeFileSync(join(OUT_DIR, 'schema-info.ts'), schemaInfoModule(models));
  console.log(`generated ${models.length} message modules into ${OUT_DIR}`);
}

main();
