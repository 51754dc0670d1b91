// The shell's history file: one statement a line (its line breaks folded), newest last, kept short.
import fs from 'node:fs';
import path from 'node:path';

const KEPT = 500;

export function loadHistory(file: string): string[] {
  try {
    const lines = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    // readline wants the newest first.
    return lines.slice(-KEPT).reverse();
  } catch {
    return [];
  }
}

export function appendHistory(file: string, statement: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.appendFileSync(file, statement.replace(/\s*\n\s*/g, ' ').trim() + '\n');
  } catch {
    // a history that cannot be written is no reason to stop the shell
  }
}
