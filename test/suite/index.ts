// Entry point of the extension-host test suite; both launchers (code-server and desktop VS Code) point extensionTestsPath here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

// Mocha 12's package entry is ESM; its CommonJS build is lib/mocha.cjs (needs Node ≥ 20.19 for the ESM parts it requires).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- an import would resolve to the ESM entry
const Mocha: typeof import('mocha') = require('mocha/lib/mocha.cjs');

function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return testFiles(full);
      return entry.isFile() && entry.name.endsWith('.test.js') ? [full] : [];
    })
    .sort();
}

export async function run(): Promise<void> {
  const ui = vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop';
  const trust = vscode.workspace.isTrusted ? 'trusted workspace' : 'workspace in restricted mode';
  console.log(`Running in ${vscode.env.appName} (VS Code ${vscode.version}, ui: ${ui}, ${trust})`);

  // Tests for restricted mode (*.untrusted.test.js) run when the workspace is untrusted, all others when it is trusted.
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false });
  for (const file of testFiles(__dirname)) {
    if (file.endsWith('.untrusted.test.js') !== vscode.workspace.isTrusted) mocha.addFile(file);
  }

  const stats = await new Promise<{ passes: number; failures: number }>((resolve, reject) => {
    try {
      const runner = mocha.run(() => resolve({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0 }));
    } catch (error) {
      // A test file that throws while loading lands here.
      reject(error);
    }
  });
  console.log(`extension-host: ${stats.passes} passed, ${stats.failures} failed`);
  if (stats.failures > 0) throw new Error(`${stats.failures} test${stats.failures === 1 ? '' : 's'} failed.`);
  if (stats.passes === 0) throw new Error('No test ran.');
}
