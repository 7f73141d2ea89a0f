// What the extension-host tests share: the extension under test, its test key, and files in the open workspace.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WanVideoApi } from '../../src/extension';
import { WanTestServer } from '../server/wanServer';

interface Manifest {
  publisher: string;
  name: string;
  contributes?: { commands?: { command: string }[] };
}

// out/test/suite -> repository root
export const manifest: Manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));
export const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

/** The launcher searches every file the run wrote for this key afterwards (test/vscode/secretScan.ts). */
export const TEST_API_KEY = process.env.WAN_TEST_SECRET ?? 'sk-test-suite-0123456789';

export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests run with a workspace folder open');
  return folder.uri;
}

/** Writes `text` to `name` (a path relative to the workspace folder, `/` between its parts). */
export async function writeWorkspaceFile(name: string, text: string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(workspaceFolder(), name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
  return uri;
}

/** Writes the file and shows it in an editor. */
export async function openWorkspaceFile(name: string, text: string): Promise<vscode.TextEditor> {
  return vscode.window.showTextDocument(await writeWorkspaceFile(name, text));
}

/** Markdown as the user reads it: MarkdownString.appendText escapes markup and spaces. */
export function asUserReadsIt(markdown: string): string {
  return markdown.replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1');
}

/** What a suite that generates against the test server uses: set up in its `before`, given back in its `after`. */
export interface ServedExtension {
  server: WanTestServer;
  api: WanVideoApi;
  outputFolder: string;
}

const SERVED_SETTINGS = ['baseUrl', 'endpoint', 'outputFolder', 'openPreviewOnSuccess'];

/**
 * Registers `before`/`after` hooks: a test server, the extension pointed at it (custom endpoint, the test key, videos
 * into a fresh temporary folder, no preview opening by itself), and everything put back afterwards.
 */
export function servedExtension(folderPrefix: string): ServedExtension {
  const served = {} as ServedExtension;
  const config = () => vscode.workspace.getConfiguration('wan');
  before(async () => {
    served.server = await WanTestServer.start({ apiKey: TEST_API_KEY });
    served.server.defaultScript = { pendingMs: 200, runningMs: 400 };
    served.outputFolder = fs.mkdtempSync(path.join(os.tmpdir(), folderPrefix));
    const values: unknown[] = [served.server.baseUrl, 'custom', served.outputFolder, false];
    for (const [i, key] of SERVED_SETTINGS.entries()) await config().update(key, values[i], vscode.ConfigurationTarget.Global);
    const extension = vscode.extensions.getExtension<WanVideoApi>(EXTENSION_ID);
    assert.ok(extension);
    served.api = await extension.activate();
    await vscode.commands.executeCommand('wan.setApiKey', TEST_API_KEY);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await served.server.close();
    for (const key of SERVED_SETTINGS) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(served.outputFolder, { recursive: true, force: true });
  });
  return served;
}
