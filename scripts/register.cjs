// Runs TypeScript sources directly under Node (no build step): every `.ts` file that is
// required is compiled with SWC to CommonJS, keeping legacy decorators and their metadata
// because NestJS dependency injection reads `design:paramtypes`.
'use strict';
const { transformSync } = require('@swc/core');
const fs = require('node:fs');

const swcOptions = (filename) => ({
  filename,
  sourceMaps: 'inline',
  module: { type: 'commonjs', ignoreDynamic: true },
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
});

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, swcOptions(filename));
  module._compile(code, filename);
};
process.setSourceMapsEnabled?.(true);
