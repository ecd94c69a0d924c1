/**
 * One test runner for every project. `unit` is pure and fast (no servers);
 * `integration` talks to the real Kafka, PostgreSQL and kube-apiserver that
 * `infra/` starts (see infra/testing/src/global-setup.ts).
 */
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const swcPlugin = () =>
  swc.vite({
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
  });

const sources = ['libs/*/src/**/*', 'services/*/src/**/*', 'infra/**/*', 'e2e/**/*', 'scripts/**/*'];
const integration = '**/*.integration.test.ts';

export default defineConfig({
  plugins: [swcPlugin()],
  test: {
    projects: [
      {
        plugins: [swcPlugin()],
        test: {
          name: 'unit',
          include: sources.map((s) => `${s}.test.ts`),
          exclude: ['**/node_modules/**', integration, '**/*.e2e.test.ts'],
          setupFiles: ['reflect-metadata'],
        },
      },
      {
        plugins: [swcPlugin()],
        test: {
          name: 'integration',
          include: [integration, '**/*.e2e.test.ts'],
          exclude: ['**/node_modules/**'],
          setupFiles: ['reflect-metadata'],
          globalSetup: ['infra/testing/src/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          // Suites share one broker, one database and one apiserver: run files one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
