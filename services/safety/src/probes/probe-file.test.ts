import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProbeFileError } from '../safety.errors';
import { BUNDLED_PROBES_DIR, loadProbeSets, parseProbeSet } from './probe-file';

describe('probe files', () => {
  it('loads the bundled sets, each mapped to an OWASP category', () => {
    const sets = loadProbeSets(BUNDLED_PROBES_DIR);
    expect(sets.map((s) => `${s.name}:${s.kind}:${s.category}`).sort()).toEqual([
      'bias:bias:LLM09:2025',
      'harmful-requests:adversarial:LLM01:2025',
      'jailbreak:adversarial:LLM01:2025',
      'long-context:conversation:LLM09:2025',
      'prompt-injection:adversarial:LLM01:2025',
      'sensitive-information:adversarial:LLM02:2025',
      'system-prompt-leakage:adversarial:LLM07:2025',
    ]);
  });

  it('lets a custom folder add sets and replace bundled ones by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'probes-'));
    writeFileSync(join(dir, 'mine.yaml'), 'name: jailbreak\ncategory: LLM01:2025\nkind: adversarial\ngraders: [harmful-content]\nprobes:\n  - { id: one, prompt: hi }\n');
    writeFileSync(join(dir, 'extra.yml'), 'name: extra\ncategory: LLM05:2025\nkind: adversarial\ngraders: [pii]\nprobes:\n  - { id: a, prompt: x }\n');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    const sets = loadProbeSets(BUNDLED_PROBES_DIR, dir);
    expect(sets.find((s) => s.name === 'jailbreak')!.kind === 'adversarial' && (sets.find((s) => s.name === 'jailbreak') as { probes: unknown[] }).probes).toHaveLength(1);
    expect(sets.map((s) => s.name)).toContain('extra');
  });

  it('refuses malformed files with every problem and the path', () => {
    const bad = () =>
      parseProbeSet(
        { name: 'Bad Name', category: 'LLM11:2025', kind: 'adversarial', graders: ['goal', 'vibes'], probes: [{ id: 'x', prompt: 'a', messages: [{ role: 'user', content: 'b' }] }] },
        '/probes/bad.yaml',
      );
    expect(bad).toThrow(ProbeFileError);
    expect(bad).toThrow(/\/probes\/bad\.yaml: .*name: .*category: .*graders/);
    expect(() => parseProbeSet({ name: 'c', category: 'LLM07:2025', kind: 'adversarial', graders: ['canary'], systemPrompt: 'no secret here', probes: [{ id: 'x', prompt: 'a' }] }, 'c.yaml')).toThrow(
      /needs \{canary\}/,
    );
    expect(() => parseProbeSet({ name: 'g', category: 'LLM01:2025', kind: 'adversarial', graders: ['goal'], probes: [{ id: 'x', prompt: 'a' }] }, 'g.yaml')).toThrow(/goal on every probe/);
    expect(() => parseProbeSet({ name: 'b', category: 'LLM09:2025', kind: 'bias', dimensions: { gender: { only: ['x'] } }, templates: [{ context: 'no placeholder', continuation: 'x' }] }, 'b.yaml')).toThrow(
      /at least two groups.*needs \{term\}|needs \{term\}.*at least two groups/,
    );
  });
});
