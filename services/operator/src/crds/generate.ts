/**
 * Writes helm/crucible/crds/*.yaml from the zod schemas in @crucible/crds (the one source of
 * the types and the CRDs). Run: `node scripts/run-ts.cjs services/operator/src/crds/generate.ts`.
 * `crds.test.ts` fails when the committed files differ from what this would write.
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderCrdFiles } from './render';

const outDir = path.resolve(__dirname, '../../../../helm/crucible/crds');
fs.mkdirSync(outDir, { recursive: true });
for (const [name, text] of Object.entries(renderCrdFiles())) {
  fs.writeFileSync(path.join(outDir, name), text);
  console.log(`wrote ${path.relative(process.cwd(), path.join(outDir, name))}`);
}
