// The expression compiler: type-checks an AST expression against a scope once and turns it into a
// closure over a record (see expression-compiler.ts for the contract).
import type { FunctionRegistry } from '../functions/index.js';
import type { ExpressionCompiler } from './expression-compiler.js';

export interface ExpressionCompilerOptions {
  /** Called when an evaluation fails (the expression then gives NULL), e.g. to the processing log. */
  readonly onError?: (error: Error) => void;
}

export function createExpressionCompiler(
  functions: FunctionRegistry,
  options: ExpressionCompilerOptions = {},
): ExpressionCompiler {
  void functions;
  void options;
  return {
    compile() {
      throw new Error('not yet');
    },
  };
}
