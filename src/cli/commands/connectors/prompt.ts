// Questions on the terminal for the `new` wizard. Lines are read through one iterator, so answers piped
// in ahead of the questions (a script, a test) are not lost; questions go to stderr, keeping stdout for
// the result.
import { createInterface, type Interface } from 'node:readline';
import { CliError, ExitCode } from '../../output.js';

export class Prompt {
  private readonly lines: AsyncIterator<string>;
  private readonly reader: Interface;

  constructor() {
    this.reader = createInterface({ input: process.stdin, terminal: false });
    this.lines = this.reader[Symbol.asyncIterator]();
  }

  /** The answer, or `fallback` when the line is empty. Input that ends before an answer stops the wizard. */
  async ask(question: string, fallback?: string): Promise<string> {
    process.stderr.write(`${question}${fallback ? ` [${fallback}]` : ''}: `);
    const next = await this.lines.next();
    if (next.done) {
      process.stderr.write('\n');
      throw new CliError(
        'the input ended before the wizard was done: nothing created',
        undefined,
        ExitCode.usage,
      );
    }
    const answer = next.value.trim();
    return answer === '' ? (fallback ?? '') : answer;
  }

  /** One of `choices` (by its name or its number), asked again until the answer is one. */
  async choose(question: string, choices: readonly string[], fallback: string): Promise<string> {
    const listed = choices.map((choice, index) => `${index + 1}) ${choice}`).join('  ');
    for (;;) {
      const answer = await this.ask(`${question} (${listed})`, fallback);
      const byNumber = choices[Number(answer) - 1];
      if (/^\d+$/.test(answer) && byNumber) return byNumber;
      const byName = choices.find((choice) => choice.toLowerCase() === answer.toLowerCase());
      if (byName) return byName;
      process.stderr.write(`  answer one of: ${choices.join(', ')}\n`);
    }
  }

  async required(question: string, fallback?: string): Promise<string> {
    for (;;) {
      const answer = await this.ask(question, fallback);
      if (answer !== '') return answer;
      process.stderr.write('  an answer is needed here\n');
    }
  }

  async confirm(question: string): Promise<boolean> {
    const answer = await this.ask(`${question} [Y/n]`);
    return answer === '' || /^y(es)?$/i.test(answer);
  }

  close(): void {
    this.reader.close();
  }
}
