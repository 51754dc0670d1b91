// Tab completion for the SQL shell: keywords, and the names of streams, tables and their columns,
// which the shell fetches with SHOW STREAMS, SHOW TABLES and DESCRIBE (and again after a statement that
// may have changed them).
import { NON_RESERVED_KEYWORDS, RESERVED_KEYWORDS } from '../../sql/parser/tokens.js';
import type { KsqlEntity } from '../../sql/engine/entities.js';

const KEYWORDS = [
  ...new Set([...RESERVED_KEYWORDS, ...NON_RESERVED_KEYWORDS, 'EXIT', 'QUIT', 'HELP']),
].sort();

export class Completions {
  #names: string[] = [];

  /** Names from the entities of SHOW STREAMS, SHOW TABLES and DESCRIBE answers. */
  learn(entities: readonly KsqlEntity[]): void {
    const names = new Set(this.#names);
    for (const entity of entities) {
      if (entity['@type'] === 'streams') for (const stream of entity.streams) names.add(stream.name);
      if (entity['@type'] === 'tables') for (const table of entity.tables) names.add(table.name);
      if (entity['@type'] === 'sourceDescription') {
        names.add(entity.sourceDescription.name);
        for (const field of entity.sourceDescription.fields) names.add(field.name);
      }
    }
    this.#names = [...names].sort();
  }

  get names(): readonly string[] {
    return this.#names;
  }

  /** readline's completer: the candidates for the word being typed, and that word. */
  complete(line: string): [string[], string] {
    const word = /[A-Za-z_][\w]*$/.exec(line)?.[0] ?? '';
    if (word === '') return [[], word];
    const upper = word.toUpperCase();
    const lowerCase = word === word.toLowerCase();
    const keywords = KEYWORDS.filter((keyword) => keyword.startsWith(upper)).map((keyword) =>
      lowerCase ? keyword.toLowerCase() : keyword,
    );
    const names = this.#names.filter((name) => name.toUpperCase().startsWith(upper));
    return [[...new Set([...names, ...keywords])], word];
  }
}
