#!/usr/bin/env node
// Prints ALL_TOPICS from libs/contracts (one per line) so shell launchers can create them.
// Why esbuild: contracts is TypeScript and Node 20 cannot load .ts; esbuild is already in
// node_modules (vitest depends on it), so this needs no extra install and no build step.
// Falls back gracefully: when contracts or esbuild is missing it warns on stderr, prints
// nothing and exits 0 (the test helper creates topics through kafkajs anyway).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const repoRoot = path.resolve(__dirname, '..', '..');
const entry = path.join(repoRoot, 'libs', 'contracts', 'src', 'index.ts');

function warn(message) {
  process.stderr.write(`[kafka] list-topics: ${message}\n`);
}

function loadContracts() {
  const requireFromRepo = Module.createRequire(path.join(repoRoot, 'package.json'));
  let esbuild;
  try {
    esbuild = requireFromRepo('esbuild');
  } catch {
    warn('esbuild not installed (run npm install); cannot load libs/contracts');
    return undefined;
  }
  const out = esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'silent',
  });
  const mod = new Module(entry, module);
  mod.filename = entry;
  mod.paths = Module._nodeModulePaths(path.dirname(entry));
  mod._compile(out.outputFiles[0].text, entry);
  return mod.exports;
}

function main() {
  if (!fs.existsSync(entry)) {
    warn(`${path.relative(repoRoot, entry)} not found; no topics listed`);
    return;
  }
  let contracts;
  try {
    contracts = loadContracts();
  } catch (err) {
    warn(`failed to load libs/contracts: ${err && err.message ? err.message : err}`);
    return;
  }
  const topics = contracts && contracts.ALL_TOPICS;
  if (!Array.isArray(topics)) {
    warn('libs/contracts does not export ALL_TOPICS as an array; no topics listed');
    return;
  }
  for (const topic of topics) process.stdout.write(`${topic}\n`);
}

main();
