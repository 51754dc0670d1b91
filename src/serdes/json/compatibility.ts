import type { SideLabels } from '../compatibility-labels.js';
import { isJsonObject, stableStringify, type JsonObject, type JsonValue } from '../json-text.js';
import type { CompatibilityIssue } from '../types.js';

/** Where a schema node lives: the document its local `$ref`s point into and its side's referenced documents. */
interface Origin {
  document: JsonValue;
  documents: Map<string, JsonValue>;
}

interface Located extends Origin {
  schema: JsonValue;
}

const at = (schema: JsonValue, origin: Origin): Located => ({
  schema,
  document: origin.document,
  documents: origin.documents,
});

/** Keywords that annotate but never constrain: a schema with only these accepts everything. */
const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  'id',
  '$comment',
  '$anchor',
  'title',
  'description',
  'default',
  'examples',
  'definitions',
  '$defs',
  'readOnly',
  'writeOnly',
  'deprecated',
]);

interface Context {
  labels: SideLabels;
  /** Pairs of (writer, reader) nodes under comparison, so recursive `$ref`s terminate. */
  inProgress: Map<object, Set<object>>;
}

/**
 * Checks that every document valid under `writer` is valid under `reader` (the reader "can read"
 * the writer's data), following Confluent's documented JSON Schema rules: open, closed and
 * partially open content models, required, type widening/narrowing, enums, numeric and length
 * bounds, combined schemas (allOf/anyOf/oneOf/not), items and tuples, dependencies.
 */
export function checkJsonReaderWriter(
  reader: { json: JsonValue; documents: Map<string, JsonValue> },
  writer: { json: JsonValue; documents: Map<string, JsonValue> },
  labels: SideLabels,
): CompatibilityIssue[] {
  const issues: CompatibilityIssue[] = [];
  const context: Context = { labels, inProgress: new Map() };
  subset(
    { schema: writer.json, document: writer.json, documents: writer.documents },
    { schema: reader.json, document: reader.json, documents: reader.documents },
    '#',
    context,
    issues,
  );
  return issues;
}

function resolveRef(located: Located): Located {
  let current = located;
  for (let hops = 0; hops < 32; hops++) {
    const schema = current.schema;
    if (!isJsonObject(schema) || typeof schema.$ref !== 'string') return current;
    const ref = schema.$ref;
    const hash = ref.indexOf('#');
    const base = hash < 0 ? ref : ref.slice(0, hash);
    const fragment = hash < 0 ? '' : ref.slice(hash + 1);
    const document = base === '' ? current.document : findDocument(base, current.documents);
    if (document === undefined) return { ...current, schema: true };
    const target = fragment === '' ? document : followPointer(document, fragment);
    if (target === undefined) return { ...current, schema: true, document };
    current = { ...current, schema: target, document };
  }
  return { ...current, schema: true };
}

function findDocument(base: string, documents: Map<string, JsonValue>): JsonValue | undefined {
  const byName = documents.get(base);
  if (byName !== undefined) return byName;
  for (const document of documents.values()) {
    if (isJsonObject(document) && document.$id === base) return document;
  }
  return undefined;
}

function followPointer(document: JsonValue, pointer: string): JsonValue | undefined {
  if (!pointer.startsWith('/')) return undefined; // named anchors are not followed
  let node: JsonValue | undefined = document;
  for (const raw of pointer.slice(1).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isJsonObject(node)) node = node[key];
    else return undefined;
  }
  return node;
}

function isTrivial(schema: JsonValue): boolean {
  if (schema === true) return true;
  return isJsonObject(schema) && Object.keys(schema).every((key) => ANNOTATIONS.has(key));
}

function without(schema: JsonObject, ...keys: string[]): JsonObject {
  const copy = { ...schema };
  for (const key of keys) delete copy[key];
  return copy;
}

function trial(writer: Located, reader: Located, path: string, context: Context): CompatibilityIssue[] {
  const issues: CompatibilityIssue[] = [];
  subset(writer, reader, path, context, issues);
  return issues;
}

function subset(
  writerIn: Located,
  readerIn: Located,
  path: string,
  context: Context,
  issues: CompatibilityIssue[],
): void {
  const writer = resolveRef(writerIn);
  const reader = resolveRef(readerIn);
  if (isTrivial(reader.schema) || writer.schema === false) return;
  const { labels } = context;
  if (reader.schema === false) {
    issues.push({
      errorType: 'SCHEMA_NARROWED_TO_FALSE',
      path,
      description: `the ${labels.reader} schema accepts nothing here, but the ${labels.writer} schema accepts values`,
    });
    return;
  }
  const w: JsonObject = isJsonObject(writer.schema) ? writer.schema : {};
  const r: JsonObject = isJsonObject(reader.schema) ? reader.schema : {};
  if (guard(w, r, context)) return;
  try {
    compareObjects(w, writer, r, reader, path, context, issues);
  } finally {
    context.inProgress.get(w)?.delete(r);
  }
}

/** True when this (writer, reader) pair is already being compared further up (recursive schemas). */
function guard(w: JsonObject, r: JsonObject, context: Context): boolean {
  let readers = context.inProgress.get(w);
  if (!readers) {
    readers = new Set();
    context.inProgress.set(w, readers);
  }
  if (readers.has(r)) return true;
  readers.add(r);
  return false;
}

function compareObjects(
  w: JsonObject,
  wDoc: Origin,
  r: JsonObject,
  rDoc: Origin,
  path: string,
  context: Context,
  issues: CompatibilityIssue[],
): void {
  const { labels } = context;

  // The reader's conjunction: the writer must satisfy each part.
  if (Array.isArray(r.allOf)) {
    r.allOf.forEach((part, index) =>
      subset(at(w, wDoc), at(part, rDoc), `${path}/allOf/${index}`, context, issues),
    );
    subset(at(w, wDoc), at(without(r, 'allOf'), rDoc), path, context, issues);
    return;
  }
  // The writer's alternatives: each one must be readable (with the writer's other keywords kept).
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const branches = w[keyword];
    if (Array.isArray(branches)) {
      const rest = without(w, keyword);
      branches.forEach((branch, index) => {
        const combined: JsonValue = isTrivial(rest) ? branch : { allOf: [rest, branch] };
        subset(at(combined, wDoc), at(r, rDoc), `${path}/${keyword}/${index}`, context, issues);
      });
      return;
    }
  }
  // The writer's conjunction is readable if its own keywords or any one part already are.
  if (Array.isArray(w.allOf)) {
    const rest = without(w, 'allOf');
    const restIssues = isTrivial(rest) ? null : trial(at(rest, wDoc), at(r, rDoc), path, context);
    if (restIssues !== null && restIssues.length === 0) return;
    for (const part of w.allOf) {
      if (trial(at(part, wDoc), at(r, rDoc), path, context).length === 0) return;
    }
    if (restIssues !== null) issues.push(...restIssues);
    else issues.push(...trial(at(w.allOf[0] ?? true, wDoc), at(r, rDoc), path, context));
    return;
  }
  // The reader's alternatives: the writer must fit one of them.
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const branches = r[keyword];
    if (Array.isArray(branches)) {
      const rest = without(r, keyword);
      if (!isTrivial(rest)) subset(at(w, wDoc), at(rest, rDoc), path, context, issues);
      const fits = branches.some(
        (branch) => trial(at(w, wDoc), at(branch, rDoc), path, context).length === 0,
      );
      if (!fits) {
        issues.push({
          errorType: 'COMBINED_TYPE_SUBSCHEMAS_CHANGED',
          path: `${path}/${keyword}`,
          description: `none of the ${labels.reader} schema's ${keyword} alternatives accepts everything the ${labels.writer} schema accepts`,
        });
      }
      return;
    }
  }
  if (r.not !== undefined) {
    if (w.not === undefined) {
      issues.push({
        errorType: 'NOT_TYPE_ADDED',
        path: `${path}/not`,
        description: `the ${labels.reader} schema adds a 'not' exclusion the ${labels.writer} schema does not have`,
      });
    } else {
      // not A ⊆ not B exactly when B ⊆ A.
      const inner = trial(at(r.not, rDoc), at(w.not, wDoc), `${path}/not`, context);
      if (inner.length > 0) {
        issues.push({
          errorType: 'NOT_TYPE_EXTENDED',
          path: `${path}/not`,
          description: `the ${labels.reader} schema's 'not' excludes values the ${labels.writer} schema allows`,
        });
      }
    }
  }
  const writerTypes = compareTypes(w, r, path, labels, issues);
  compareEnums(w, r, path, labels, issues);
  const may = (type: string): boolean =>
    writerTypes === undefined ||
    writerTypes.includes(type) ||
    (type === 'number' && writerTypes.includes('integer'));
  if (may('string')) compareStrings(w, r, path, labels, issues);
  if (may('number')) compareNumbers(w, r, path, labels, issues);
  if (may('object')) compareObjectKeywords(w, wDoc, r, rDoc, path, context, issues);
  if (may('array')) compareArrays(w, wDoc, r, rDoc, path, context, issues);
}

function typesOf(schema: JsonObject): string[] | undefined {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type))
    return schema.type.filter((type): type is string => typeof type === 'string');
  return undefined;
}

function jsonTypeOf(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeAccepts(types: string[], type: string): boolean {
  return types.includes(type) || (type === 'integer' && types.includes('number'));
}

function enumOf(schema: JsonObject): JsonValue[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  if (schema.const !== undefined) return [schema.const];
  return undefined;
}

/** Returns the writer's effective types (undefined = any). */
function compareTypes(
  w: JsonObject,
  r: JsonObject,
  path: string,
  labels: SideLabels,
  issues: CompatibilityIssue[],
): string[] | undefined {
  const writerEnum = enumOf(w);
  const writerTypes = typesOf(w) ?? (writerEnum ? [...new Set(writerEnum.map(jsonTypeOf))] : undefined);
  const readerTypes = typesOf(r);
  if (!readerTypes) return writerTypes;
  if (!writerTypes) {
    issues.push({
      errorType: 'TYPE_NARROWED',
      path: `${path}/type`,
      description: `the ${labels.reader} schema only accepts type ${readerTypes.join('|')}, but the ${labels.writer} schema accepts any type`,
    });
    return writerTypes;
  }
  const lost = writerTypes.filter((type) => !typeAccepts(readerTypes, type));
  if (lost.length > 0) {
    const kept = writerTypes.length - lost.length;
    issues.push({
      errorType: kept > 0 ? 'TYPE_NARROWED' : 'TYPE_CHANGED',
      path: `${path}/type`,
      description: `the ${labels.writer} schema allows type ${writerTypes.join('|')} but the ${labels.reader} schema only accepts ${readerTypes.join('|')}`,
    });
  }
  return writerTypes;
}

function compareEnums(
  w: JsonObject,
  r: JsonObject,
  path: string,
  labels: SideLabels,
  issues: CompatibilityIssue[],
): void {
  const readerEnum = enumOf(r);
  if (!readerEnum) return;
  const writerEnum = enumOf(w);
  if (!writerEnum) {
    issues.push({
      errorType: 'ENUM_ARRAY_NARROWED',
      path: `${path}/enum`,
      description: `the ${labels.reader} schema restricts values to ${JSON.stringify(readerEnum)}, the ${labels.writer} schema has no such restriction`,
    });
    return;
  }
  const allowed = new Set(readerEnum.map(stableStringify));
  const missing = writerEnum.filter((value) => !allowed.has(stableStringify(value)));
  if (missing.length > 0) {
    issues.push({
      errorType: missing.length === writerEnum.length ? 'ENUM_ARRAY_CHANGED' : 'ENUM_ARRAY_NARROWED',
      path: `${path}/enum`,
      description: `the ${labels.writer} schema allows ${JSON.stringify(missing)}, which the ${labels.reader} schema's enum does not`,
    });
  }
}

function numberAt(schema: JsonObject, key: string): number | undefined {
  const value = schema[key];
  return typeof value === 'number' ? value : undefined;
}

/** The reader caps `key`: the writer must cap it at least as tightly. */
function upperBound(
  w: JsonObject,
  r: JsonObject,
  key: string,
  code: string,
  path: string,
  labels: SideLabels,
  issues: CompatibilityIssue[],
  writerValue = numberAt(w, key),
): void {
  const readerValue = numberAt(r, key);
  if (readerValue === undefined) return;
  if (writerValue === undefined || writerValue > readerValue) {
    issues.push({
      errorType: writerValue === undefined ? `${code}_ADDED` : `${code}_DECREASED`,
      path: `${path}/${key}`,
      description: `the ${labels.reader} schema sets ${key} ${readerValue}; the ${labels.writer} schema allows ${writerValue === undefined ? 'any value' : `up to ${writerValue}`}`,
    });
  }
}

/** The reader floors `key`: the writer must floor it at least as high. */
function lowerBound(
  w: JsonObject,
  r: JsonObject,
  key: string,
  code: string,
  path: string,
  labels: SideLabels,
  issues: CompatibilityIssue[],
  writerValue = numberAt(w, key),
): void {
  const readerValue = numberAt(r, key);
  if (readerValue === undefined) return;
  if (writerValue === undefined || writerValue < readerValue) {
    issues.push({
      errorType: writerValue === undefined ? `${code}_ADDED` : `${code}_INCREASED`,
      path: `${path}/${key}`,
      description: `the ${labels.reader} schema sets ${key} ${readerValue}; the ${labels.writer} schema allows ${writerValue === undefined ? 'any value' : `down to ${writerValue}`}`,
    });
  }
}

function compareStrings(
  w: JsonObject,
  r: JsonObject,
  path: string,
  labels: SideLabels,
  issues: CompatibilityIssue[],
): void {
  upperBound(w, r, 'maxLength', 'MAX_LENGTH', path, labels, issues);
  lowerBound(w, r, 'minLength', 'MIN_LENGTH', path, labels, issues);
  if (typeof r.pattern === 'string' && r.pattern !== w.pattern) {
    issues.push({
      errorType: w.pattern === undefined ? 'PATTERN_ADDED' : 'PATTERN_CHANGED',
      path: `${path}/pattern`,
      description: `the ${labels.reader} schema requires pattern ${JSON.stringify(r.pattern)}; the ${labels.writer} schema ${w.pattern === undefined ? 'has no pattern' : `uses ${JSON.stringify(w.pattern)}`}`,
    });
  }
}

function compareNumbers(
  w: JsonObject,
  r: JsonObject,
  path: string,
  labels: SideLabels,
  issues: CompatibilityIssue[],
): void {
  // An exclusive bound on the writer side is at least as tight as an inclusive one of the same value.
  upperBound(
    w,
    r,
    'maximum',
    'MAXIMUM',
    path,
    labels,
    issues,
    numberAt(w, 'maximum') ?? numberAt(w, 'exclusiveMaximum'),
  );
  lowerBound(
    w,
    r,
    'minimum',
    'MINIMUM',
    path,
    labels,
    issues,
    numberAt(w, 'minimum') ?? numberAt(w, 'exclusiveMinimum'),
  );
  const writerExclusiveMax = numberAt(w, 'exclusiveMaximum');
  const writerMax = numberAt(w, 'maximum');
  const readerExclusiveMax = numberAt(r, 'exclusiveMaximum');
  if (readerExclusiveMax !== undefined) {
    const fine =
      (writerExclusiveMax !== undefined && writerExclusiveMax <= readerExclusiveMax) ||
      (writerMax !== undefined && writerMax < readerExclusiveMax);
    if (!fine)
      upperBound(
        w,
        r,
        'exclusiveMaximum',
        'EXCLUSIVE_MAXIMUM',
        path,
        labels,
        issues,
        writerExclusiveMax ?? Infinity,
      );
  }
  const writerExclusiveMin = numberAt(w, 'exclusiveMinimum');
  const writerMin = numberAt(w, 'minimum');
  const readerExclusiveMin = numberAt(r, 'exclusiveMinimum');
  if (readerExclusiveMin !== undefined) {
    const fine =
      (writerExclusiveMin !== undefined && writerExclusiveMin >= readerExclusiveMin) ||
      (writerMin !== undefined && writerMin > readerExclusiveMin);
    if (!fine)
      lowerBound(
        w,
        r,
        'exclusiveMinimum',
        'EXCLUSIVE_MINIMUM',
        path,
        labels,
        issues,
        writerExclusiveMin ?? -Infinity,
      );
  }
  const readerMultiple = numberAt(r, 'multipleOf');
  if (readerMultiple !== undefined) {
    const writerMultiple = numberAt(w, 'multipleOf');
    const divides = writerMultiple !== undefined && Number.isInteger(writerMultiple / readerMultiple);
    if (!divides) {
      issues.push({
        errorType: writerMultiple === undefined ? 'MULTIPLE_OF_ADDED' : 'MULTIPLE_OF_CHANGED',
        path: `${path}/multipleOf`,
        description: `the ${labels.reader} schema requires multiples of ${readerMultiple}; the ${labels.writer} schema ${writerMultiple === undefined ? 'allows any number' : `uses multiples of ${writerMultiple}`}`,
      });
    }
  }
}

function schemaAt(schema: JsonObject, key: string): JsonObject {
  const value = schema[key];
  return isJsonObject(value) ? value : {};
}

/** The schema an object applies to a property it does not declare: a matching pattern, else additionalProperties. */
function undeclaredPropertySchema(schema: JsonObject, name: string): JsonValue {
  const patterns = schemaAt(schema, 'patternProperties');
  for (const pattern of Object.keys(patterns)) {
    try {
      if (new RegExp(pattern, 'u').test(name)) return patterns[pattern];
    } catch {
      // an invalid pattern was already reported by ajv
    }
  }
  return schema.additionalProperties ?? true;
}

function stringsAt(schema: JsonObject, key: string): string[] {
  const value = schema[key];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function compareObjectKeywords(
  w: JsonObject,
  wDoc: Origin,
  r: JsonObject,
  rDoc: Origin,
  path: string,
  context: Context,
  issues: CompatibilityIssue[],
): void {
  const { labels } = context;
  const writerProperties = schemaAt(w, 'properties');
  const readerProperties = schemaAt(r, 'properties');
  for (const name of Object.keys(readerProperties)) {
    const propertyPath = `${path}/properties/${name}`;
    if (name in writerProperties) {
      subset(
        at(writerProperties[name], wDoc),
        at(readerProperties[name], rDoc),
        propertyPath,
        context,
        issues,
      );
      continue;
    }
    const writerSide = undeclaredPropertySchema(w, name);
    if (trial(at(writerSide, wDoc), at(readerProperties[name], rDoc), propertyPath, context).length > 0) {
      const open = writerSide === true || isTrivial(writerSide);
      issues.push({
        errorType: open
          ? 'PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL'
          : 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
        path: propertyPath,
        description: open
          ? `property '${name}' is new in the ${labels.reader} schema, but the ${labels.writer} schema is open (additionalProperties) so its data may already hold '${name}' with any value`
          : `property '${name}' is new in the ${labels.reader} schema and narrower than what the ${labels.writer} schema's additionalProperties/patternProperties allowed for it`,
      });
    }
  }
  for (const name of Object.keys(writerProperties)) {
    if (name in readerProperties) continue;
    const readerSide = undeclaredPropertySchema(r, name);
    if (
      trial(at(writerProperties[name], wDoc), at(readerSide, rDoc), `${path}/properties/${name}`, context)
        .length > 0
    ) {
      issues.push({
        errorType:
          readerSide === false
            ? 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL'
            : 'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
        path: `${path}/properties/${name}`,
        description:
          readerSide === false
            ? `property '${name}' is missing from the ${labels.reader} schema, which is closed (additionalProperties: false), yet the ${labels.writer} schema may write it`
            : `property '${name}' is missing from the ${labels.reader} schema, whose additionalProperties/patternProperties do not accept what the ${labels.writer} schema writes there`,
      });
    }
  }
  const writerRequired = new Set(stringsAt(w, 'required'));
  for (const name of stringsAt(r, 'required')) {
    // Confluent only flags required names the reader declares as properties.
    if (!writerRequired.has(name) && name in readerProperties) {
      issues.push({
        errorType: 'REQUIRED_PROPERTY_ADDED',
        path: `${path}/required/${name}`,
        description: `property '${name}' is required by the ${labels.reader} schema but optional or absent in the ${labels.writer} schema`,
      });
    }
  }
  const writerPatterns = schemaAt(w, 'patternProperties');
  const readerPatterns = schemaAt(r, 'patternProperties');
  for (const pattern of Object.keys(readerPatterns)) {
    const writerSide = pattern in writerPatterns ? writerPatterns[pattern] : (w.additionalProperties ?? true);
    subset(
      at(writerSide, wDoc),
      at(readerPatterns[pattern], rDoc),
      `${path}/patternProperties/${pattern}`,
      context,
      issues,
    );
  }
  for (const pattern of Object.keys(writerPatterns)) {
    if (pattern in readerPatterns) continue;
    subset(
      at(writerPatterns[pattern], wDoc),
      at(r.additionalProperties ?? true, rDoc),
      `${path}/patternProperties/${pattern}`,
      context,
      issues,
    );
  }
  const additional = trial(
    at(w.additionalProperties ?? true, wDoc),
    at(r.additionalProperties ?? true, rDoc),
    `${path}/additionalProperties`,
    context,
  );
  if (additional.length > 0) {
    issues.push({
      errorType: 'ADDITIONAL_PROPERTIES_NARROWED',
      path: `${path}/additionalProperties`,
      description: `the ${labels.reader} schema's additionalProperties rejects undeclared properties the ${labels.writer} schema accepts`,
    });
  }
  upperBound(w, r, 'maxProperties', 'MAX_PROPERTIES', path, labels, issues);
  lowerBound(w, r, 'minProperties', 'MIN_PROPERTIES', path, labels, issues);
  for (const key of ['dependencies', 'dependentRequired', 'dependentSchemas']) {
    const writerDependencies = schemaAt(w, key);
    const readerDependencies = schemaAt(r, key);
    for (const name of Object.keys(readerDependencies)) {
      const readerDependency = readerDependencies[name];
      const writerDependency = writerDependencies[name];
      const dependencyPath = `${path}/${key}/${name}`;
      if (Array.isArray(readerDependency)) {
        const writerNames = new Set(Array.isArray(writerDependency) ? writerDependency : []);
        if (!readerDependency.every((item) => writerNames.has(item))) {
          issues.push({
            errorType:
              writerDependency === undefined ? 'DEPENDENCY_ARRAY_ADDED' : 'DEPENDENCY_ARRAY_EXTENDED',
            path: dependencyPath,
            description: `the ${labels.reader} schema requires ${JSON.stringify(readerDependency)} whenever '${name}' is present; the ${labels.writer} schema does not`,
          });
        }
      } else if (writerDependency === undefined) {
        issues.push({
          errorType: 'DEPENDENCY_SCHEMA_ADDED',
          path: dependencyPath,
          description: `the ${labels.reader} schema adds a dependent schema for '${name}' that the ${labels.writer} schema does not have`,
        });
      } else {
        subset(at(writerDependency, wDoc), at(readerDependency, rDoc), dependencyPath, context, issues);
      }
    }
  }
}

/** Items as (tuple, rest) for draft-07 (`items` array + `additionalItems`) and 2020-12 (`prefixItems` + `items`). */
function itemsOf(schema: JsonObject): { tuple: JsonValue[]; rest: JsonValue } {
  if (Array.isArray(schema.prefixItems)) return { tuple: schema.prefixItems, rest: schema.items ?? true };
  if (Array.isArray(schema.items)) return { tuple: schema.items, rest: schema.additionalItems ?? true };
  return { tuple: [], rest: schema.items ?? true };
}

function compareArrays(
  w: JsonObject,
  wDoc: Origin,
  r: JsonObject,
  rDoc: Origin,
  path: string,
  context: Context,
  issues: CompatibilityIssue[],
): void {
  const { labels } = context;
  const writerItems = itemsOf(w);
  const readerItems = itemsOf(r);
  const length = Math.max(writerItems.tuple.length, readerItems.tuple.length);
  for (let index = 0; index < length; index++) {
    subset(
      at(writerItems.tuple[index] ?? writerItems.rest, wDoc),
      at(readerItems.tuple[index] ?? readerItems.rest, rDoc),
      `${path}/items/${index}`,
      context,
      issues,
    );
  }
  const restPath = length > 0 ? `${path}/additionalItems` : `${path}/items`;
  subset(at(writerItems.rest, wDoc), at(readerItems.rest, rDoc), restPath, context, issues);
  upperBound(w, r, 'maxItems', 'MAX_ITEMS', path, labels, issues);
  lowerBound(w, r, 'minItems', 'MIN_ITEMS', path, labels, issues);
  if (r.uniqueItems === true && w.uniqueItems !== true) {
    issues.push({
      errorType: 'UNIQUE_ITEMS_ADDED',
      path: `${path}/uniqueItems`,
      description: `the ${labels.reader} schema requires unique items; the ${labels.writer} schema allows duplicates`,
    });
  }
  if (r.contains !== undefined) {
    if (w.contains === undefined) {
      issues.push({
        errorType: 'CONTAINS_ADDED',
        path: `${path}/contains`,
        description: `the ${labels.reader} schema adds a 'contains' requirement the ${labels.writer} schema does not have`,
      });
    } else {
      subset(at(w.contains, wDoc), at(r.contains, rDoc), `${path}/contains`, context, issues);
    }
  }
}
