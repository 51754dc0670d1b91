// Compares an expected value of a case file with what the engine wrote, by ksqlDB's test runner's rules:
// objects field by field (a missing field is found by its upper-cased name too, and the field counts must
// agree), arrays element by element, numbers by value as Java would compare the actual's type (an integer
// actual truncates the expected, a double actual compares as doubles), decimals by value with at least the expected's scale, and an
// expected string matches a decimal (or a JSON number with a fraction) written with the same digits.
import { isJsonObject, JsonNumber, stringifyJsonText, type JsonValue } from './json-text.js';

/** A DECIMAL the engine wrote (Avro/Protobuf decimals, and JSON numbers of a DECIMAL column): scale counts. */
export class DecimalNumber extends JsonNumber {}

/** The first place where the values differ, as `$.A[2]: expected 1 but was 2`; undefined when they match. */
export function firstDifference(expected: JsonValue, actual: JsonValue, at = '$'): string | undefined {
  const differ = (): string => `${at}: expected ${show(expected)} but was ${show(actual)}`;
  if (expected === null) return actual === null ? undefined : differ();
  if (isJsonObject(expected)) {
    if (!isJsonObject(actual)) return differ();
    const actualKeys = Object.keys(actual);
    const expectedKeys = Object.keys(expected);
    if (actualKeys.length !== expectedKeys.length) {
      return `${at}: expected fields ${expectedKeys.join(', ')} but were ${actualKeys.join(', ')}`;
    }
    for (const key of expectedKeys) {
      const found = key in actual ? actual[key] : actual[key.toUpperCase()];
      const difference = firstDifference(expected[key], found === undefined ? null : found, `${at}.${key}`);
      if (difference) return difference;
    }
    return undefined;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return differ();
    if (actual.length !== expected.length) return differ();
    for (let i = 0; i < expected.length; i++) {
      const difference = firstDifference(expected[i], actual[i], `${at}[${i}]`);
      if (difference) return difference;
    }
    return undefined;
  }
  if (expected instanceof JsonNumber) return numbersMatch(expected, actual) ? undefined : differ();
  if (typeof expected === 'string') {
    if (typeof actual === 'string') return actual === expected ? undefined : differ();
    if (actual instanceof DecimalNumber) return sameDecimal(expected, actual.text) ? undefined : differ();
    // ksqlDB's runner reads a JSON number with a fraction as a BigDecimal, which a string's digits match.
    if (actual instanceof JsonNumber && !actual.isIntegral)
      return sameDecimal(expected, actual.text) ? undefined : differ();
    return differ();
  }
  return actual === expected ? undefined : differ();
}

export function valuesMatch(expected: JsonValue, actual: JsonValue): boolean {
  return firstDifference(expected, actual) === undefined;
}

function numbersMatch(expected: JsonNumber, actual: JsonValue): boolean {
  if (!(actual instanceof JsonNumber)) return false;
  if (actual instanceof DecimalNumber) {
    // An integral expected only matches a decimal without places. ksqlDB's runner also wants a fraction's
    // scale to agree, but the case files here were re-written with trailing zeros dropped (ksqlDB's
    // `1.00` reads `1.0`), so the actual may have more places as long as the value is the same.
    if (expected.isIntegral)
      return !actual.text.includes('.') && BigInt(actual.text) === BigInt(expected.text);
    return sameDecimalPadded(expected.text, actual.text);
  }
  if (actual.isIntegral) {
    // Java: expected.longValue() == actual, so the expected's fraction is dropped.
    const truncated = expected.isIntegral ? expected.text : String(Math.trunc(expected.toNumber()));
    try {
      return BigInt(truncated) === BigInt(actual.text);
    } catch {
      return expected.toNumber() === actual.toNumber();
    }
  }
  return expected.toNumber() === actual.toNumber();
}

/** BigDecimal.equals: same unscaled value and scale; `1E+2` style exponents normalised first. */
function sameDecimal(expectedText: string, actualText: string): boolean {
  const a = normaliseDecimal(expectedText);
  const b = normaliseDecimal(actualText);
  return a !== undefined && b !== undefined && a.unscaled === b.unscaled && a.scale === b.scale;
}

/** The expected's digits with zeros appended to the actual's scale equal the actual's. */
function sameDecimalPadded(expectedText: string, actualText: string): boolean {
  const a = normaliseDecimal(expectedText);
  const b = normaliseDecimal(actualText);
  if (a === undefined || b === undefined || b.scale < a.scale) return false;
  return a.unscaled * 10n ** BigInt(b.scale - a.scale) === b.unscaled;
}

function normaliseDecimal(text: string): { unscaled: bigint; scale: number } | undefined {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  const digits = `${whole}${fraction}` || '0';
  return { unscaled: BigInt(`${sign}${digits}`), scale: fraction.length - Number(exponent) };
}

export function show(value: JsonValue | undefined): string {
  if (value === undefined) return '(none)';
  const text = stringifyJsonText(value);
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
