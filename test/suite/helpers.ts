// What the extension-host tests share: the extension under test, its test key, and files in the open workspace.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

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
