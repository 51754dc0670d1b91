// @platformatic/kafka compiles about forty JSON-schema validators of its options with ajv when it is
// imported, most of them for calls Venice never makes: half of the library's import time and ~14 MiB
// in every process that reaches Kafka (registry, sql, connect, the CLI). While it loads, ajv's compile
// is replaced by one that compiles on the validator's first call; library.ts restores it as soon as the
// library is loaded, so no other ajv user (the JSON Schema serdes) ever sees the deferred compile.
// If the library resolves another copy of ajv than this one, nothing is deferred and nothing breaks.
import type { AnySchema, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';

type Compile = (this: Ajv2020, schema: AnySchema, meta?: boolean) => ValidateFunction;

const prototype = Ajv2020.prototype as unknown as { compile: Compile };
const hadOwnCompile = Object.prototype.hasOwnProperty.call(prototype, 'compile');
const eagerCompile = prototype.compile;

function deferredCompile(this: Ajv2020, schema: AnySchema, meta?: boolean): ValidateFunction {
  let compiled: ValidateFunction | undefined;
  const validate = ((data: unknown) => {
    compiled ??= eagerCompile.call(this, schema, meta);
    const valid = compiled(data);
    validate.errors = compiled.errors;
    return valid;
  }) as ValidateFunction;
  validate.schema = schema;
  return validate;
}

prototype.compile = deferredCompile;

/** Back to ajv's own compile: called once the library is loaded. */
export function compileEagerlyAgain(): void {
  if (hadOwnCompile) prototype.compile = eagerCompile;
  else delete (prototype as { compile?: Compile }).compile;
}
