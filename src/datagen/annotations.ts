// Confluent datagen's `arg.properties` on an Avro type, e.g.
//   {"type": "int", "arg.properties": {"range": {"min": 1, "max": 100}}}
// iteration {start, step, restart}: a counter; range {min, max}: a number in [min, max) (integers:
// min to max - 1); options [...]: one of the values; regex: a matching string; length: for strings,
// bytes, arrays and maps, a number or {min, max}.
import { DatagenSchemaError } from './errors.js';
import type { ValueGenerator } from './hints.js';
import { regexGenerator } from './regex.js';

export interface Annotations {
  options?: readonly unknown[];
  iteration?: { start: number; step: number; restart?: number };
  range?: { min?: number; max?: number };
  regex?: string;
  length?: number | { min: number; max: number };
}

const KNOWN = new Set(['options', 'iteration', 'range', 'regex', 'length']);
const NUMERIC = new Set(['int', 'long', 'float', 'double']);

export function readAnnotations(schema: Record<string, unknown>, path: string): Annotations {
  const raw = schema['arg.properties'];
  if (raw === undefined) return {};
  const fail = (problem: string): never => {
    throw new DatagenSchemaError(`${path ? `at ${path}: ` : ''}arg.properties ${problem}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('must be an object');
  const props = raw as Record<string, unknown>;
  const unknown = Object.keys(props).filter((key) => !KNOWN.has(key));
  if (unknown.length > 0)
    fail(
      `has ${unknown.map((key) => JSON.stringify(key)).join(', ')}, which venice does not know; use ${[...KNOWN].join(', ')}`,
    );
  const annotations: Annotations = {};
  if (props.options !== undefined) {
    if (!Array.isArray(props.options) || props.options.length === 0)
      fail('options must be a non-empty list of values');
    annotations.options = props.options as unknown[];
  }
  if (props.iteration !== undefined) {
    const iteration = props.iteration as Record<string, unknown>;
    const start = iteration.start ?? 0;
    const step = iteration.step ?? 1;
    if (typeof start !== 'number' || typeof step !== 'number')
      fail('iteration needs numbers: {"start": 1, "step": 1}');
    if (iteration.restart !== undefined && typeof iteration.restart !== 'number')
      fail('iteration.restart must be a number');
    annotations.iteration = {
      start: start as number,
      step: step as number,
      restart: iteration.restart as number | undefined,
    };
  }
  if (props.range !== undefined) {
    const range = props.range as Record<string, unknown>;
    const { min, max } = range;
    if ((min !== undefined && typeof min !== 'number') || (max !== undefined && typeof max !== 'number'))
      fail('range needs numbers: {"min": 1, "max": 100}');
    if (typeof min === 'number' && typeof max === 'number' && max <= min)
      fail(`range has max ${max} not above min ${min}`);
    annotations.range = { min: min as number | undefined, max: max as number | undefined };
  }
  if (props.regex !== undefined) {
    if (typeof props.regex !== 'string') fail('regex must be a string');
    annotations.regex = props.regex as string;
  }
  if (props.length !== undefined) {
    const length = props.length;
    if (typeof length === 'number' && length >= 0) annotations.length = length;
    else if (typeof length === 'object' && length !== null) {
      const { min = 0, max } = length as Record<string, unknown>;
      if (typeof min !== 'number' || typeof max !== 'number')
        fail('length needs {"min": 1, "max": 10} or a number');
      annotations.length = { min: min as number, max: max as number };
    } else fail('length needs {"min": 1, "max": 10} or a number');
  }
  return annotations;
}

/** The annotated generator for a value of Avro `type`, or `fallback` when nothing applies. */
export function annotatedGenerator<T>(
  annotations: Annotations,
  type: string,
  fallback: ValueGenerator<T>,
  path: string,
): ValueGenerator<T | unknown> {
  const fail = (problem: string): never => {
    throw new DatagenSchemaError(`${path ? `at ${path}: ` : ''}arg.properties.${problem}`);
  };
  if (annotations.options) {
    const options = annotations.options;
    return ({ random }) => random.pick(options);
  }
  if (annotations.iteration) {
    if (!NUMERIC.has(type) && type !== 'string') fail(`iteration needs a number or string type, not ${type}`);
    const { start, step, restart } = annotations.iteration;
    let current = start;
    return () => {
      const value = current;
      current += step;
      if (restart !== undefined && (step > 0 ? current >= restart : current <= restart)) current = start;
      return type === 'string' ? String(value) : value;
    };
  }
  if (annotations.range) {
    if (!NUMERIC.has(type)) fail(`range needs a number type, not ${type}`);
    const integral = type === 'int' || type === 'long';
    const min = annotations.range.min ?? 0;
    const max = annotations.range.max ?? (annotations.range.min ?? 0) + (integral ? 10_000 : 1000);
    if (integral) {
      const low = Math.ceil(min);
      const high = Math.max(low, Math.ceil(max) - 1);
      return ({ random }) => random.int(low, high);
    }
    return ({ random }) => random.float(min, max);
  }
  if (annotations.regex !== undefined) {
    if (type !== 'string') fail(`regex needs a string type, not ${type}`);
    const generate = regexGenerator(annotations.regex);
    return ({ random }) => generate(random);
  }
  return fallback;
}
