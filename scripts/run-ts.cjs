#!/usr/bin/env node
// Runs a TypeScript entry point: `node scripts/run-ts.cjs path/to/file.ts [args…]`.
'use strict';
const path = require('node:path');
require('./register.cjs');
require('reflect-metadata');
const [, , entry, ...rest] = process.argv;
if (!entry) {
  console.error('usage: run-ts.cjs <file.ts> [args…]');
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(entry), ...rest];
require(path.resolve(entry));
