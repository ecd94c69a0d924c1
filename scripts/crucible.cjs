#!/usr/bin/env node
// The `crucible` command: runs the CLI's TypeScript sources directly.
'use strict';
require('./register.cjs');
require('reflect-metadata');
require('../services/cli/src/main.ts');
