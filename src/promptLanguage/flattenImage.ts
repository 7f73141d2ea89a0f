// The quick fix for a PNG with transparency: writes an opaque copy beside it (over white) and points the value at it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadPromptParser } from '../bundles/loader';
import { mediaContext } from './mediaDiagnostics';

export const FLATTEN_COMMAND = 'wan.flattenImage';

/** `photo.png` → `photo-flat.png` (or `photo-flat-2.png`…, never over a file that is there). */
async function freeName(file: string): Promise<string> {
  const { dir, name } = path.parse(file);
  for (let n = 1; ; n++) {
    const candidate = path.join(dir, `${name}-flat${n > 1 ? `-${n}` : ''}.png`);
    if (!(await fs.stat(candidate).then(() => true, () => false))) return candidate;
  }
}

export async function flattenImage(uri: vscode.Uri, range: vscode.Range): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  const context = mediaContext(document);
  const written = document.getText(range);
  const source = written.replace(/^(["'])(.*)\1$/, '$2').trim();
  if (!context) return;
  const parser = loadPromptParser();
  const { file } = await parser.mediaFileInfo(source, context);
  const flat = parser.flattenPng(await fs.readFile(file));
  if (!flat) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} could not be flattened here (it is interlaced or damaged). Open it in an image editor and export it as JPEG, or as PNG without transparency.', path.basename(file)));
    return;
  }
  const target = await freeName(file);
  await fs.writeFile(target, flat);
  const edit = new vscode.WorkspaceEdit();
  // The same path as written, with the new name.
  const renamed = source.slice(0, source.length - path.basename(source).length) + path.basename(target);
  edit.replace(uri, range, written === source ? renamed : JSON.stringify(renamed));
  await vscode.workspace.applyEdit(edit);
}
