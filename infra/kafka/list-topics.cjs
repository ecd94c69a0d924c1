#!/usr/bin/env node
// Prints ALL_TOPICS from libs/contracts (one per line) so shell launchers can create them.
// contracts is TypeScript; scripts/register.cjs (the workspace's SWC require hook) loads it
// without a build step. Falls back gracefully: when contracts or the hook is missing it
// warns on stderr, prints nothing and exits 0 (the test helper's globalSetup creates the
// topics through kafkajs anyway).
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..');
const entry = path.join(repoRoot, 'libs', 'contracts', 'src', 'index.ts');
const register = path.join(repoRoot, 'scripts', 'register.cjs');

function warn(message) {
  process.stderr.write(`[kafka] list-topics: ${message}\n`);
}

function main() {
  if (!fs.existsSync(entry)) return warn(`${path.relative(repoRoot, entry)} not found; no topics listed`);
  if (!fs.existsSync(register)) return warn('scripts/register.cjs not found; cannot load TypeScript');
  let topics;
  try {
    require(register);
    topics = require(entry).ALL_TOPICS;
  } catch (err) {
    return warn(`failed to load libs/contracts (${err && err.message ? err.message : err}); run npm install?`);
  }
  if (!Array.isArray(topics)) return warn('libs/contracts does not export ALL_TOPICS as an array');
  for (const topic of topics) process.stdout.write(`${topic}\n`);
}

main();
