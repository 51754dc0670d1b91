import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  expandCase,
  findCaseFiles,
  loadCaseFile,
  type JsonObject,
} from '../../../tools/conformance/cases.js';
import { JsonNumber, parseJsonText, stringifyJsonText } from '../../../tools/conformance/json-text.js';
import { sourceTopics } from '../../../tools/conformance/run-case.js';

function writeCases(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-conformance-cases-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

describe('json text', () => {
  it('keeps numbers as written and writes them back unchanged', () => {
    const text = '{"a":1.10,"b":[1,-2.5E+3,0.0],"c":"x\\"y","d":null,"e":true}';
    const value = parseJsonText(text);
    expect(stringifyJsonText(value)).toBe(text);
    expect((value as { a: JsonNumber }).a.text).toBe('1.10');
  });

  it('rejects malformed text with the offset', () => {
    expect(() => parseJsonText('{"a":}')).toThrow(/offset 5/);
    expect(() => parseJsonText('[1] 2')).toThrow(/after the value/);
  });
});

describe('case expansion', () => {
  it('runs a case once per format entry, substituting {FORMAT} everywhere and naming the entry', () => {
    const raw = parseJsonText(
      JSON.stringify({
        name: 'n',
        format: ['AVRO', 'JSON'],
        statements: ["CREATE STREAM S (A INT) WITH (kafka_topic='t', value_format='{FORMAT}');"],
        expectedException: { type: 'x', message: '{FORMAT} is wrong' },
      }),
    ) as JsonObject;
    const expanded = expandCase(raw);
    expect(expanded.map((c) => c.name)).toEqual(['n - AVRO', 'n - JSON']);
    expect(expanded[1].statements).toEqual([
      "CREATE STREAM S (A INT) WITH (kafka_topic='t', value_format='JSON');",
    ]);
    expect((expanded[0].expectedException as JsonObject).message).toBe('AVRO is wrong');
  });

  it('multiplies format and config lists', () => {
    const raw = {
      name: 'n',
      format: ['A', 'B'],
      config: ['true', 'false'],
      statements: ['{FORMAT} {CONFIG}'],
    };
    const expanded = expandCase(parseJsonText(JSON.stringify(raw)) as JsonObject);
    expect(expanded.map((c) => c.statements)).toEqual([['A true'], ['A false'], ['B true'], ['B false']]);
  });
});

describe('loading case files', () => {
  it('reads qtt and rest folders, records, windows, headers, post conditions and skips disabled cases', () => {
    const dir = writeCases({
      'qtt/one.json': {
        tests: [
          {
            name: 'windowed',
            statements: ["CREATE STREAM S (K INT KEY, V INT) WITH (kafka_topic='in', value_format='JSON');"],
            properties: { 'ksql.x': 1 },
            topics: [{ name: 'in', partitions: 4, valueFormat: { format: 'AVRO' }, valueSchema: 'int' }],
            inputs: [
              { topic: 'in', key: 1, value: { V: 2 }, timestamp: 5, headers: [{ KEY: 'h', VALUE: 'IQ==' }] },
            ],
            outputs: [{ topic: 'OUT', key: 1, value: null, window: { start: 0, end: 10, type: 'session' } }],
            post: {
              sources: [{ name: 'S', type: 'stream', schema: 'K INT KEY, V INT' }],
              topics: { blacklist: '.*-x' },
            },
          },
          { name: 'off', enabled: false, statements: [] },
        ],
      },
      'rest/two.json': { tests: [{ name: 'q', statements: ['SELECT 1;'], responses: [{ query: [] }] }] },
      'notes.txt': 'ignored',
    });
    const found = findCaseFiles(dir);
    expect(found.map((f) => path.relative(dir, f))).toEqual(['qtt/one.json', 'rest/two.json']);
    const one = loadCaseFile(found[0]);
    expect(one.disabled).toBe(1);
    const [testCase] = one.cases;
    expect(testCase.shape).toBe('qtt');
    expect(testCase.properties).toEqual({ 'ksql.x': '1' });
    expect(testCase.topics[0]).toMatchObject({
      name: 'in',
      partitions: 4,
      valueFormat: 'AVRO',
      valueSchema: 'int',
    });
    expect(testCase.inputs[0]).toMatchObject({ timestamp: 5, headers: [{ key: 'h', value: 'IQ==' }] });
    expect(testCase.outputs[0].window).toEqual({ start: 0, end: 10, type: 'SESSION' });
    expect(testCase.outputs[0]).toHaveProperty('key');
    expect(testCase.post?.blacklist).toBe('.*-x');
    expect(sourceTopics(testCase)).toEqual(new Map([['in', 4]]));
    expect(loadCaseFile(found[1]).cases[0].shape).toBe('rest');
  });

  it('says which file and case is malformed', () => {
    const dir = writeCases({ 'bad.json': { tests: [{ name: 'x', statements: 'nope' }] } });
    expect(() => loadCaseFile(path.join(dir, 'bad.json'))).toThrow(/bad.json: case "x": "statements"/);
  });
});

describe('source topics', () => {
  it('takes KAFKA_TOPIC of CREATE without AS SELECT, not of sinks', () => {
    const dir = writeCases({
      'c.json': {
        tests: [
          {
            name: 'n',
            statements: [
              "CREATE TABLE T (ID INT PRIMARY KEY, V INT) WITH (kafka_topic='tt', value_format='JSON');",
              "CREATE STREAM P (V INT) WITH (kafka_topic='pp', partitions=2, value_format='JSON');",
              "CREATE STREAM O WITH (kafka_topic='oo') AS SELECT * FROM X;",
            ],
          },
        ],
      },
    });
    expect([...sourceTopics(loadCaseFile(path.join(dir, 'c.json')).cases[0]).keys()]).toEqual(['tt']);
  });
});
