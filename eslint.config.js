// Lint rules, chiefly the import boundaries of DESIGN.md §1:
// shared/ is pure; main/ and renderer/ never import each other; only main/app/ touches electron.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'http',
  'https',
  'http2',
  'net',
  'tls',
  'os',
  'child_process',
  'zlib',
  'stream',
  'url',
  'util',
  'crypto',
  'events',
  'buffer',
]

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist-web/', 'release/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['electron'], message: 'electron is imported only in main/app/' }] },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'react', 'react-dom', 'undici', ...nodeBuiltins],
              message: 'shared/ is pure TypeScript: no Node, DOM, React or Electron',
            },
            {
              group: ['**/main/**', '**/renderer/**'],
              message: 'shared/ imports nothing from main/ or renderer/',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'process',
        'Buffer',
        'require',
        '__dirname',
        'setTimeout',
        'setInterval',
        'performance',
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/app/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron'], message: 'electron is imported only in main/app/' },
            { group: ['**/renderer/**'], message: 'main/ never imports renderer/' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/renderer/**'], message: 'main/ never imports renderer/' }] },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'undici', ...nodeBuiltins],
              message: 'the renderer reaches the backend only through the typed API',
            },
            { group: ['**/main/**'], message: 'renderer/ never imports main/' },
          ],
        },
      ],
    },
  },
)
