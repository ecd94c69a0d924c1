#!/usr/bin/env node
// The image's entry point: starts the service named by CRUCIBLE_SERVICE (one image, every
// service; the Helm chart sets the variable per Deployment).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const SERVICES = ['ingestion', 'cleaning', 'tokenization', 'training', 'evaluation', 'safety', 'serving', 'operator'];
const root = path.resolve(__dirname, '..');
const name = process.env.CRUCIBLE_SERVICE;

if (!SERVICES.includes(name)) {
  process.stderr.write(`CRUCIBLE_SERVICE must be one of ${SERVICES.join(', ')}; got ${JSON.stringify(name)}\n`);
  process.exit(2);
}
const entry = path.join(root, 'services', name, 'src', 'main.ts');
if (!fs.existsSync(entry)) {
  process.stderr.write(`${path.relative(root, entry)} is not in this image\n`);
  process.exit(2);
}
require(path.join(root, 'scripts', 'register.cjs'));
require('reflect-metadata');
process.argv[1] = entry;
require(entry);
