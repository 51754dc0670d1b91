// The one renderer behind every --format: tables for people, JSON and YAML with the same values.
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  addOutputOptions,
  outputFormat,
  render,
  renderJson,
  renderTable,
  renderYaml,
  toPlain,
  type OutputOptions,
} from '../../src/cli/render.js';

const data = {
  name: 'orders',
  partitions: [{ partition: 0, lowOffset: 0n, highOffset: 12345678901234567890n, leader: null }],
  skipped: undefined,
};

describe('render', () => {
  it('turns bigints into decimal strings, the same in JSON and YAML', () => {
    const expected = {
      name: 'orders',
      partitions: [{ partition: 0, lowOffset: '0', highOffset: '12345678901234567890', leader: null }],
    };
    expect(toPlain(data)).toEqual(expected);
    expect(JSON.parse(renderJson(data))).toEqual(expected);
    expect(parseYaml(renderYaml(data))).toEqual(expected);
    expect(renderJson(data).endsWith('}\n')).toBe(true);
  });

  it('turns Maps and Sets into objects and arrays', () => {
    expect(toPlain({ next: new Map([[0, 5n]]), ids: new Set([1, 2]) })).toEqual({
      next: { 0: '5' },
      ids: [1, 2],
    });
  });

  it('renders an aligned table with upper-case headers and - for empty cells', () => {
    expect(
      renderTable(
        ['name', 'lag', 'member'],
        [
          ['orders', 10n, null],
          ['payments-long', 0n, 'm-1'],
        ],
      ),
    ).toBe('NAME           LAG  MEMBER\norders         10   -\npayments-long  0    m-1');
  });

  it('uses the text renderer for table, and the data for json and yaml', () => {
    const asText = () => 'people text\n';
    expect(render('table', data, asText)).toBe('people text\n');
    expect(render('json', data, asText)).toBe(renderJson(data));
    expect(render('yaml', data, asText)).toBe(renderYaml(data));
  });
});

describe('--format and --json', () => {
  function parse(...args: string[]): OutputOptions {
    let seen: OutputOptions = {};
    const program = new Command().exitOverride().configureOutput({ writeErr: () => {} });
    addOutputOptions(program.command('list')).action((options: OutputOptions) => {
      seen = options;
    });
    program.parse(['list', ...args], { from: 'user' });
    return seen;
  }

  it('defaults to table; --json is --format json', () => {
    expect(outputFormat(parse())).toBe('table');
    expect(outputFormat(parse('--format', 'yaml'))).toBe('yaml');
    expect(outputFormat(parse('--format', 'json'))).toBe('json');
    expect(outputFormat(parse('--json'))).toBe('json');
  });

  it('refuses an unknown format, and --json together with --format', () => {
    expect(() => parse('--format', 'xml')).toThrow(CommanderError);
    expect(() => parse('--format', 'xml')).toThrow(/table, json, yaml|"table", "json", "yaml"/);
    expect(() => parse('--json', '--format', 'yaml')).toThrow(/cannot be used with/);
  });
});
