// Lint: typed rules (floating promises, misused promises), import cycles, no stray console in the library.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/results/', '**/*.mjs', 'examples/**/bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      eqeqeq: ['error', 'smart'],
    },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js'] } } },
  },
  {
    // The dashboard runs in the browser (web/tsconfig.json types it with the DOM).
    files: ['web/**/*.ts'],
    languageOptions: { globals: globals.browser },
  },
  // The layers (docs/ARCHITECTURE.md): what each folder may not import, type imports included.
  ...layers({
    'src/agent/**': ['hub', 'sdk', 'cli', 'embedded'],
    'src/hub/**': ['agent', 'sdk', 'cli', 'embedded'],
    'src/hub-link/**': ['hub', 'agent', 'sdk', 'cli', 'embedded'],
    'src/sdk/**': ['hub', 'agent', 'store', 'bus', 'hub-link', 'file-store', 'config', 'cli', 'embedded'],
    'web/**': ['hub', 'agent', 'store', 'bus', 'hub-link', 'file-store', 'config', 'cli', 'embedded'],
    '{src/core,src/job,src/para,src/calc-package,src/xml,src/archive,src/run-dir,src/api}/**': [
      'hub',
      'agent',
      'store',
      'bus',
      'hub-link',
      'file-store',
      'config',
      'sdk',
      'cli',
      'embedded',
    ],
  }),
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);

/**
 * One `no-restricted-imports` block per folder glob: an import whose path passes through
 * one of the named source folders is refused (`import type` too), with a message naming
 * the layer rule.
 */
function layers(rules) {
  return Object.entries(rules).map(([files, forbidden]) => ({
    files: [`${files}/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden.map((folder) => ({
            regex: `(^|/)(src/)?${folder}/`,
            message: `${files.replace('/**', '')} may not import from ${folder}/ (the layers: docs/ARCHITECTURE.md)`,
          })),
        },
      ],
    },
  }));
}
