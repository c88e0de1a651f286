// ESLint flat config: typescript-eslint recommended rules over product code and tests.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/*
 * Import boundaries (issue 17, README "Layout"). ESLint's own no-restricted-imports does the static imports and
 * re-exports; no-restricted-syntax catches the other ways in (import(), require(), `import('x').T` types).
 * Import cycles are judged by madge in .ci/run, which sees type-only imports too.
 */
const boundaries = {
  // functions/ and shared/ are what ships to Azure: never the local host, the provider fakes or the tests.
  product: {
    regex: '^(\\.\\./)+(dev|hosts|tests)(/|$)',
    message: 'shared/ and functions/ never import dev/, hosts/ or tests/ (README "Layout").',
  },
  cosmos: {
    regex: '^@azure/cosmos(/|$)',
    message: 'only shared/stores/ imports @azure/cosmos: use a store port (README "Layout").',
  },
  // Pure folders (core, mapping, dedup, conflicts, webhooks/verify) compute; the I/O around them is injected.
  io: {
    regex:
      '^(node:)?(http|https|http2|net|tls|dns|dgram|fs|fs/promises|child_process|worker_threads)$|^undici(/|$)|^@azure/|^(\\.\\./)+(stores|app)(/|$)',
    message: 'pure code does no I/O: take what you need as an argument (README "Layout").',
  },
  ioredis: {
    regex: '^ioredis(/|$)',
    message: 'only shared/stores/ and shared/ratelimit/ import ioredis: use a kv store port (README "Layout").',
  },
};

const IO_GLOBALS = ['fetch', 'WebSocket', 'XMLHttpRequest'].map((name) => ({
  name,
  message: boundaries.io.message,
}));

/** The rules that forbid `forbidden` in one set of files. */
function forbidImports(forbidden) {
  const specifierSyntax = (b) => {
    // A selector's regex cannot hold "/" (esquery ends it there), so the slashes are written as \x2F.
    const re = `/${b.regex.replaceAll('/', '\\x2F')}/`;
    return [
      { selector: `ImportExpression[source.value=${re}]`, message: b.message },
      { selector: `CallExpression[callee.name='require'][arguments.0.value=${re}]`, message: b.message },
      { selector: `TSImportType[argument.literal.value=${re}]`, message: b.message },
    ];
  };
  // A later config's options replace an earlier one's, but a bare severity keeps them: an empty list is 'off'.
  const rule = (options) => (options.length > 0 ? ['error', ...options] : 'off');
  const patterns = forbidden.map((b) => ({ regex: b.regex, message: b.message }));
  return {
    'no-restricted-globals': rule(forbidden.includes(boundaries.io) ? IO_GLOBALS : []),
    'no-restricted-imports': rule(patterns.length > 0 ? [{ patterns }] : []),
    'no-restricted-syntax': rule(forbidden.flatMap(specifierSyntax)),
  };
}

/**
 * Who may import what, from the widest folders to the narrowest (a file takes the last config that matches it).
 * Unit tests beside the code may use dev/'s signing helpers and hosts/'s free-port (the deploy build leaves them out)
 * and may do I/O, but keep their folder's SDK rules.
 */
const importAreas = [
  { folders: ['functions', 'shared'], forbidden: [boundaries.product, boundaries.cosmos, boundaries.ioredis] },
  { folders: ['hosts'], forbidden: [boundaries.cosmos, boundaries.ioredis] },
  { folders: ['shared/ratelimit'], forbidden: [boundaries.product, boundaries.cosmos] },
  { folders: ['shared/stores'], forbidden: [boundaries.product] },
  {
    folders: ['shared/core', 'shared/mapping', 'shared/dedup', 'shared/conflicts', 'shared/webhooks/verify'],
    forbidden: [boundaries.product, boundaries.cosmos, boundaries.ioredis, boundaries.io],
  },
];
const boundaryConfigs = importAreas.flatMap(({ folders, forbidden }) => [
  { files: folders.map((f) => `${f}/**/*.{ts,tsx}`), rules: forbidImports(forbidden) },
  {
    files: folders.map((f) => `${f}/**/*.test.{ts,tsx}`),
    rules: forbidImports(forbidden.filter((b) => b !== boundaries.product && b !== boundaries.io)),
  },
]);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.local/**', 'admin/dist/**', '*.js', '*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The admin UI runs in browsers: the two classic hook rules (the compiler-oriented ones are not used here).
    files: ['admin-ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // Tests poke at JSON answers; typing every response shape there buys nothing.
    files: ['**/*.test.ts', '**/*.test.tsx', 'tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  ...boundaryConfigs,
);
