/**
 * Records the equivalence fixture: freezes the seeds (string literals of this library's unit
 * tests, strings of services/safety/probes/*.yaml) and the decisions the guardrail takes on
 * every case of the corpus. Run it only when a decision is meant to change, and review the
 * fixture's diff: `node scripts/run-ts.cjs libs/guardrails/src/equivalence/record-decisions.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { parse } from 'yaml';
import type { ChatMessage } from '../decision';
import { buildCorpus, CANARY, type Seeds } from './corpus';
import { decideAll, FIXTURE_PATH, writeFixture, type Fixture } from './decisions';

const ROOT = join(__dirname, '../../../..');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.test.ts') && !e.name.startsWith('equivalence') ? [join(dir, e.name)] : [],
  );
}

function literals(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) return;
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.text.trim().length >= 4) out.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function probeSeeds(): Pick<Seeds, 'probes' | 'chats' | 'systemPrompts'> {
  const dir = join(ROOT, 'services/safety/probes');
  const probes: string[] = [];
  const chats: ChatMessage[][] = [];
  const systemPrompts: string[] = [];
  const walk = (v: unknown, key: string) => {
    if (typeof v === 'string') {
      if (key === 'systemPrompt') systemPrompts.push(v.replace(/\{canary\}/g, CANARY));
      else if (v.trim().length >= 4) probes.push(v.replace(/\{canary\}/g, CANARY));
    } else if (Array.isArray(v)) {
      if (key === 'messages') chats.push(v.map((m: { role: string; content: string }) => ({ role: m.role, content: m.content })));
      v.forEach((x) => walk(x, key));
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, k);
    }
  };
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) walk(parse(readFileSync(join(dir, f), 'utf8')), '');
  return { probes: [...new Set(probes)], chats, systemPrompts: [...new Set(systemPrompts)] };
}

const tests = [...new Set(testFiles(join(ROOT, 'libs/guardrails/src')).sort().flatMap(literals))];
const seeds: Seeds = { tests, ...probeSeeds() };
const cases = buildCorpus(seeds);
const fixture: Fixture = { seeds, decisions: decideAll(cases) };
writeFixture(fixture);
console.log(`${cases.length} cases, ${Object.keys(fixture.decisions).length} decisions → ${FIXTURE_PATH}`);
