#!/usr/bin/env node
// The `crucible` command: runs the CLI's TypeScript sources directly, on huge pages where the
// machine has them (huge-pages.cjs: the models it trains and serves decode faster on them).
'use strict';
if (!require('./huge-pages.cjs').relaunchWithHugePages()) {
  require('./register.cjs');
  require('reflect-metadata');
  require('../services/cli/src/main.ts');
}
