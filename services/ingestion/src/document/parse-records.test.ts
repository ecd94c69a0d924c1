import { ValidationError } from '@crucible/contracts';
import { describe, expect, it } from 'vitest';
import { MalformedBodyError } from './ingestion.errors';
import { parseJsonLines, parseJsonRecords } from './parse-records';
import { issuesOf } from './prepare-document';

const defaults = { source: { kind: 'http' as const } };

describe('parseJsonRecords', () => {
  it('reads one object', () => {
    const { candidates, failures } = parseJsonRecords('{"content":"a","mediaType":"text/html","metadata":{"k":1},"externalId":"x","name":"n"}', defaults);
    expect(failures).toEqual([]);
    expect(candidates).toEqual([
      { content: 'a', mediaType: 'text/html', externalId: 'x', metadata: { k: 1 }, source: { kind: 'http', name: 'n' }, at: [] },
    ]);
  });

  it('reads an array, defaulting the media type, and accepts `text` for `content`', () => {
    const { candidates } = parseJsonRecords('[{"content":"a"},{"text":"b","uri":"https://e.x/b"}]', defaults);
    expect(candidates.map((c) => [c.content, c.mediaType, c.at, c.source])).toEqual([
      ['a', 'text/plain', [0], { kind: 'http' }],
      ['b', 'text/plain', [1], { kind: 'http', uri: 'https://e.x/b' }],
    ]);
  });

  it('reports malformed JSON with position, line and column', () => {
    expect(() => parseJsonRecords('{"content": "a",\n "x": }', defaults)).toThrow(
      "malformed JSON at position 23 (line 2, column 7): Unexpected token '}'",
    );
  });

  it('lists every shape problem with its path', () => {
    const { candidates, failures } = parseJsonRecords('[{"content":1},{"contnet":"a"},{"content":"ok","mediaType":"image/png"},{"content":"ok"}]', defaults);
    expect(candidates).toHaveLength(1);
    expect(failures.flatMap(issuesOf)).toEqual([
      { path: [0, 'content'], message: 'expected a string' },
      { path: [1, 'content'], message: 'required' },
      { path: [1], message: "unknown field 'contnet'" },
      { path: [2, 'mediaType'], message: expect.stringMatching(/text\/plain/) },
    ]);
  });

  it('refuses an empty array and a non-object', () => {
    expect(() => parseJsonRecords('[]', defaults)).toThrow(ValidationError);
    expect(parseJsonRecords('"text"', defaults).failures).toHaveLength(1);
  });
});

describe('parseJsonLines', () => {
  it('reads one record per line, skipping blank lines, numbering lines from 1', () => {
    const { candidates } = parseJsonLines('{"content":"a"}\r\n\n{"content":"b"}\n', defaults);
    expect(candidates.map((c) => [c.content, c.at])).toEqual([
      ['a', ['line', 1]],
      ['b', ['line', 3]],
    ]);
  });

  it('reports every malformed line by number', () => {
    try {
      parseJsonLines('{"content":"a"}\n{"content":\n{"content":"c"}\nnot json\n', defaults);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MalformedBodyError);
      expect((error as MalformedBodyError).message).toBe('malformed JSON on lines 2, 4');
      expect((error as MalformedBodyError).issues.map((i) => i.path)).toEqual([
        ['line', 2],
        ['line', 4],
      ]);
    }
  });

  it('reports a wrong shape by line', () => {
    const { failures } = parseJsonLines('{"content":"a"}\n{"mediaType":"text/plain"}\n', defaults);
    expect(failures.flatMap(issuesOf)).toEqual([{ path: ['line', 2, 'content'], message: 'required' }]);
  });
});
