// Lint rules, including the module boundaries of docs/architecture.md, enforced through Nx
// project tags: `scope:*` says which stage a project belongs to, `type:*` what kind it is.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'helm/**/templates/**', 'helm/**/crds/**', '**/*.cjs', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            // The contracts know nothing of the rest of the workspace.
            { sourceTag: 'scope:contracts', onlyDependOnLibsWithTags: [] },
            // Libraries are framework-free and never reach up into services.
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            {
              sourceTag: 'type:ml',
              onlyDependOnLibsWithTags: ['type:lib'],
              bannedExternalImports: ['@nestjs/*', 'kafkajs', 'express'],
            },
            // Services depend on libs, never on each other.
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib'] },
            // The CLI is the composition root: it may wire services together in one process.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:service'] },
            { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['type:lib', 'type:service', 'type:app', 'type:test'] },
          ],
        },
      ],
    },
  },
);
