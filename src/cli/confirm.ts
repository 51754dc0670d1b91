// Asking before something is destroyed: on a terminal a y/N question, without one a refusal that
// names the flag to pass, rather than deleting something nobody was asked about.
import { createInterface } from 'node:readline/promises';
import { CliError, ExitCode } from './output.js';

export async function confirm(question: string, flag = '--yes'): Promise<void> {
  if (!process.stdin.isTTY)
    throw new CliError(
      'refusing to delete without confirmation',
      `pass ${flag} to delete without a terminal`,
      ExitCode.usage,
    );
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${question} [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new CliError('nothing deleted', undefined, ExitCode.failure);
  } finally {
    prompt.close();
  }
}
