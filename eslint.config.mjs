// Lint rules plus the machine check of the process boundaries (DESIGN.md §3-4, STYLE.md
// "The boundary between processes"): who may import whom is decided here, not by review.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Regexes, not gitignore globs: a glob like `app` would also match a harmless `./app`.
const nodeBuiltins = `^(?:node:|(?:${builtinModules.filter((m) => !m.startsWith('_')).join('|')})(?:/|$))`;
const ioPackages =
  '^(?:electron|electron-log|knex|sqlite3|pg|pg-listen|nodemailer|pino|smtp-server|mailparser)(?:/|$)';
// A relative path that climbs out of the current layer folder into a sibling layer.
const intoLayer = (...layers) => `^(?:\\.\\./)+(?:src-main/)?(?:${layers.join('|')})(?:/|$)|(?:^|/)src-main/(?:${layers.join('|')})(?:/|$)`;

const rule = (regex, message) => ({ regex, message, caseSensitive: true });
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

const noRenderer = rule('(?:^|/)src-renderer(?:/|$)', 'The main process never imports renderer code.');
const noMigrations = rule('(?:^|/)migrations(?:/|$)', 'Only the store runs migrations.');
const pure = [
  rule(nodeBuiltins, 'contract/ and domain/ are pure: no Node built-ins (they also run in the renderer).'),
  rule(ioPackages, 'contract/ and domain/ are pure: no I/O packages.'),
  rule(intoLayer('store', 'services', 'transport', 'app'), 'contract/ and domain/ may not depend on store, services, transport or app.'),
  noRenderer,
  noMigrations,
];

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'docs/', 'release/', 'out/', 'test-results/', 'playwright-report/', '.data/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts,cts}'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  // Everything outside the renderer runs on Node.
  { files: ['**/*.{js,mjs,cjs,ts,mts,cts}'], ignores: ['src-renderer/**'], languageOptions: { globals: globals.node } },
  // Renderer unit tests run in Chromium too (vitest project unit-renderer).
  { files: ['src-renderer/**', 'test/unit/renderer/**'], languageOptions: { globals: globals.browser } },

  // The renderer has no Node: packages, its own files, and src-main/contract only.
  {
    files: ['src-renderer/**'],
    rules: restrict(
      rule('(?:^|/)src-main(?:/(?!contract(?:/|$))|$)', 'The renderer may import only src-main/contract; call the rest through the contract.'),
      rule(nodeBuiltins, 'The renderer has no Node built-ins; ask the main process through the contract.'),
      rule(ioPackages, 'The renderer has no I/O packages; ask the main process through the contract.'),
      noMigrations,
    ),
  },
  { files: ['src-main/contract/**', 'src-main/domain/**'], rules: restrict(...pure) },
  // Layers point one way: app → transport → services → store.
  {
    files: ['src-main/store/**'],
    rules: restrict(rule(intoLayer('services', 'transport', 'app'), 'store/ may not depend on services, transport or app.'), noRenderer),
  },
  {
    files: ['src-main/services/**'],
    rules: restrict(rule(intoLayer('transport', 'app'), 'services/ may not depend on transport or app.'), noRenderer, noMigrations),
  },
  {
    files: ['src-main/transport/**'],
    rules: restrict(rule(intoLayer('app'), 'transport/ may not depend on app.'), noRenderer, noMigrations),
  },
  { files: ['src-main/app/**'], rules: restrict(noRenderer) },
);
