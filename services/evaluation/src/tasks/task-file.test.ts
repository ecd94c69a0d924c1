import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_TASKS_DIR, loadTasks, parseTask } from './task-file';

const folder = (files: Record<string, string>): string => {
  const dir = mkdtempSync(join(tmpdir(), 'tasks-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
};

describe('task files', () => {
  it('loads the bundled SOTU tasks (continuation from JSONL, cloze, perplexity)', () => {
    const tasks = loadTasks(BUNDLED_TASKS_DIR);
    expect(tasks.map((t) => t.name)).toEqual(['sotu-cloze', 'sotu-continuation', 'sotu-famous-lines']);
    const continuation = tasks[1]!;
    expect(continuation.metrics).toEqual(['bleu', 'chrf', 'rouge']);
    expect(continuation.examples.length).toBeGreaterThanOrEqual(20);
    expect(continuation.generation).toEqual({ maxTokens: 24, temperature: 0, stop: ['\n'] });
  });

  it('applies defaults and limit', () => {
    const t = parseTask('name: t\nkind: generation\nmetrics: [bleu]\nlimit: 1\nexamples:\n  - {prompt: a, references: [b]}\n  - {prompt: c, references: [d]}\n', '/x/t.yaml');
    expect(t.generation).toEqual({ maxTokens: 32, temperature: 0, stop: [] });
    expect(t.examples).toHaveLength(1);
  });

  it('refuses malformed tasks with every problem and the file', () => {
    expect(() => parseTask('name: Bad Name\nkind: generation\nmetrics: [meteor]\nexamples: []\n', '/x/bad.yaml')).toThrow(
      /task file \/x\/bad\.yaml: name: lowercase.*; metrics\.0: .*; examples/,
    );
    expect(() => parseTask('name: t\nkind: generation\nexamples:\n  - {prompt: a, references: []}\n', '/x/t.yaml')).toThrow(/needs at least one reference/);
    expect(() => parseTask('name: t\nkind: generation\nexamples: [{prompt: a, references: [b]}]\n', '/x/t.yaml')).toThrow(/generation tasks need metrics/);
    expect(() => parseTask('name: [', '/x/t.yaml')).toThrow(/not valid YAML/);
  });

  it('reports the JSONL line that is wrong', () => {
    const dir = folder({ 't.yaml': 'name: t\nkind: perplexity\nexamples: ex.jsonl\n', 'ex.jsonl': '{"prompt":"a","references":["b"]}\n{"prompt":1}\n' });
    expect(() => loadTasks(dir)).toThrow(/ex\.jsonl:2: prompt/);
  });

  it('refuses two tasks with one name', () => {
    const task = 'name: same\nkind: perplexity\nexamples: [{prompt: a, references: [b]}]\n';
    expect(() => loadTasks(folder({ 'a.yaml': task, 'b.yml': task }))).toThrow(/'same' is also used by/);
  });
});
