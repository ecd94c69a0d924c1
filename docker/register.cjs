// The image's scripts/register.cjs (docker/service.Dockerfile copies it over the repository's):
// docker/compile.cjs already turned every .ts file into CommonJS at build time, so .ts files
// load as plain JavaScript and no compiler ships in the image.
'use strict';
require.extensions['.ts'] = require.extensions['.js'];
process.setSourceMapsEnabled?.(true);
