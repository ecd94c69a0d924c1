/**
 * Runs every check of the equivalence corpus through two guardrails — the defaults, and one
 * with every threshold at 0 so that sub-threshold findings (their scores, spans and reasons)
 * are compared too — and returns the decisions keyed `case:check:guard`. An allow without
 * findings, the common case, is stored as 0 to keep the fixture small.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DETECTOR_NAMES } from '../decision';
import { createGuardrail, type Guardrail } from '../guardrail';
import type { Case, Seeds } from './corpus';

// Gzipped JSON (`zcat` reads it): ~2 MB of decisions, mostly repeats, compress to ~0.1 MB.
export const FIXTURE_PATH = join(__dirname, 'decisions.fixture.json.gz');

export interface Fixture {
  readonly seeds: Seeds;
  readonly decisions: Record<string, unknown>;
}

const GUARDS: Readonly<Record<string, Guardrail>> = {
  default: createGuardrail(),
  sensitive: createGuardrail({ detectors: Object.fromEntries(DETECTOR_NAMES.map((n) => [n, { threshold: 0 }])) }),
};

/** A decision as plain JSON (undefined fields dropped, as the fixture stores them). */
const plain = (d: object): unknown => {
  const json = JSON.parse(JSON.stringify(d)) as { action: string; findings: unknown[] };
  return json.action === 'allow' && json.findings.length === 0 && Object.keys(json).length === 2 ? 0 : json;
};

export function decideAll(cases: readonly Case[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of cases) {
    c.checks.forEach((check, k) => {
      for (const [name, guard] of Object.entries(GUARDS)) {
        const d = check.check === 'input' ? guard.checkInput(check.input) : guard.checkOutput(check.input, check.context);
        out[`${c.id}:${k}:${name}`] = plain(d);
      }
    });
  }
  return out;
}

export const readFixture = (): Fixture => JSON.parse(gunzipSync(readFileSync(FIXTURE_PATH)).toString('utf8')) as Fixture;

export const writeFixture = (fixture: Fixture): void => writeFileSync(FIXTURE_PATH, gzipSync(`${JSON.stringify(fixture, null, 1)}\n`, { level: 9 }));
