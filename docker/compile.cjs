#!/usr/bin/env node
// Build-time step of docker/service.Dockerfile: compiles every TypeScript file of libs/ and
// services/ to CommonJS IN PLACE (the file keeps its .ts name), so the image needs no
// compiler at run time and every path the code names (package.json `main`, fork() entries,
// __dirname-relative files) stays valid; docker/register.cjs then loads .ts files as plain
// JavaScript. The compile is scripts/register.cjs's own SWC hook, run once per file, so the
// options cannot drift from what `npm start` and the tests use. Test files are deleted.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const TOP = ['libs', 'services'];

function* typeScriptFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* typeScriptFiles(full);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield full;
  }
}

function main() {
  const before = new Set(Object.keys(require.extensions));
  require(path.join(root, 'scripts', 'register.cjs'));
  const compileHook = require.extensions['.ts'];
  if (!compileHook || before.has('.ts')) throw new Error('scripts/register.cjs did not install its .ts hook');
  let compiled = 0;
  let removed = 0;
  for (const top of TOP) {
    for (const file of typeScriptFiles(path.join(root, top))) {
      if (/\.(test|spec)\.ts$/.test(file)) {
        fs.rmSync(file);
        removed++;
        continue;
      }
      let output;
      // The hook ends with module._compile(code, filename): capture the code instead of running it.
      compileHook({ _compile: (code) => (output = code) }, file);
      if (typeof output !== 'string') throw new Error(`no output for ${file}`);
      fs.writeFileSync(file, `// Compiled from TypeScript at image build time (docker/compile.cjs).\n${output}`);
      compiled++;
    }
  }
  process.stdout.write(`compile: ${compiled} TypeScript files compiled in place, ${removed} test files removed\n`);
}

main();
