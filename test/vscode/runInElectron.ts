// Runs the same extension-host suite in desktop VS Code 1.100.3 through @vscode/test-electron.
// It downloads VS Code from update.code.visualstudio.com into .vscode-test/: only works on a machine with internet.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { VSCODE_VERSION } from './codeServer';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

const OFFLINE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|getaddrinfo|Failed to (download|get)|update\.code\.visualstudio\.com/i;

async function main(): Promise<number> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-electron-'));
  try {
    return await runTests({
      version: VSCODE_VERSION,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'out', 'test', 'suite', 'index'),
      launchArgs: [workspace, '--disable-extensions'],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    if (OFFLINE.test(message)) {
      console.error(`Cannot download VS Code ${VSCODE_VERSION} from update.code.visualstudio.com (no internet here: ${message.split('\n')[0]}); run the same suite in code-server with \`npm run test:vscode\`.`);
    } else {
      console.error(`The extension tests failed in desktop VS Code ${VSCODE_VERSION}: ${message}`);
    }
    process.exit(1);
  },
);
