// ESLint (flat config), run by `npm run lint` and so by `npm test`.
import js from '@eslint/js';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The modules that run without VS Code: plain Node, testable without an extension host. */
const pureFolders = ['wan', 'tasks', 'prompt', 'common', 'media', 'sound', 'agent'];

export default tseslint.config(
  // native/soundtrack/wasm/ is emscripten's output (native/soundtrack/build.sh), committed as built.
  { ignores: ['out/', 'dist/', '.vscode-test/', 'test-output/', 'native/soundtrack/wasm/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    // Every eslint-disable names its rule and says why after ` -- `.
    ...comments.recommended,
    rules: {
      ...comments.recommended.rules,
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: ['eslint-enable'] }],
      // A file-wide disable with its reason is fine where the whole file is the exception (src/bundles/loader.ts).
      '@eslint-community/eslint-comments/disable-enable-pair': ['error', { allowWholeFile: true }],
    },
  },
  {
    rules: {
      // A `let` assigned once but read earlier by a closure (test/sandbox.ts) may stay a `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // tsc checks unused names already (noUnusedLocals, noUnusedParameters), with its own `_` conventions.
    files: ['**/*.ts'],
    rules: { '@typescript-eslint/no-unused-vars': 'off' },
  },
  {
    // The layering as a rule: the pure modules import neither `vscode` nor the VS Code layer around them.
    files: pureFolders.map((folder) => `src/${folder}/**/*.ts`),
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: `src/{${pureFolders.join(',')}}/ runs without VS Code: take what you need as a parameter instead.` }],
        patterns: [{
          regex: `^\\.\\./(?!(${pureFolders.join('|')})/)`,
          message: `src/{${pureFolders.join(',')}}/ imports only from each other, never from the VS Code layer.`,
        }],
      }],
    },
  },
  {
    files: ['media/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, acquireVsCodeApi: 'readonly' } },
  },
  {
    // The sync rule is also required by a unit test.
    files: ['media/compareSync.js'],
    languageOptions: { globals: { module: 'writable' } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
);
