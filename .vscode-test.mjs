// For VS Code's Testing view (the Extension Test Runner extension) and `npx vscode-test`: the extension-host suite in
// desktop VS Code, like `npm run test:electron`. Build first: `npm run build && npm run compile-tests`.
import { defineConfig } from '@vscode/test-cli';
import { mkdirSync } from 'node:fs';

const workspaceFolder = '.vscode-test/workspace';
mkdirSync(workspaceFolder, { recursive: true });

export default defineConfig({
  label: 'extension host',
  // test/vscode/codeServer.ts's VSCODE_VERSION: the oldest VS Code that engines.vscode allows.
  version: '1.100.3',
  // The trusted-workspace tests; *.untrusted.test.js need restricted mode, which only `npm run test:vscode` sets up.
  files: 'out/test/suite/**/!(*.untrusted).test.js',
  workspaceFolder,
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'bdd', timeout: 60_000 },
});
