// Media in a prompt file, as the editor shows them: the files' problems at their values, the flattening fix, completion and hover.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { png, wav } from '../unit/media/fixtures';
import { asUserReadsIt, EXTENSION_ID, workspaceFolder } from './helpers';
import { waitFor } from './waitFor';

function wanDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Wan');
}

async function write(name: string, bytes: Buffer | string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(workspaceFolder(), 'media-test', name);
  await vscode.workspace.fs.writeFile(uri, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
  return uri;
}

describe('media in prompt files', function () {
  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await write('alpha.png', png(640, 480, { colourType: 6 }));
    await write('opaque.png', png(640, 480));
    await write('voice.wav', wav(2));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceFolder(), 'media-test'), { recursive: true });
  });

  it('a missing image and a PNG with alpha are problems at their values; the fix writes an opaque copy and uses it', async () => {
    const uri = await write('frames.wanprompt', '---\nmodel: wan2.7-i2v\nfirst_frame: ./gone.png\nlast_frame: ./alpha.png\n---\nA cat wakes up.\n');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const diagnostics = await waitFor('the file problems', () => {
      const found = wanDiagnostics(uri);
      return found.length >= 2 ? found : undefined;
    });
    assert.deepEqual(diagnostics.map((d) => [document.getText(d.range), d.code, d.severity]), [
      ['./gone.png', 'missing', vscode.DiagnosticSeverity.Error],
      ['./alpha.png', 'alpha', vscode.DiagnosticSeverity.Error],
    ]);
    assert.match(diagnostics[0].message, /There is no file at this path/);
    assert.match(diagnostics[1].message, /alpha channel/);

    const hover = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, diagnostics[1].range.start.translate(0, 3));
    const shown = asUserReadsIt(hover.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n'));
    assert.match(shown, /PNG · \d+ KB · 640×480 px · with transparency/);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostics[1].range, vscode.CodeActionKind.QuickFix.value);
    const flatten = actions.find((a) => a.isPreferred && a.command);
    assert.ok(flatten?.command, `a fix for the alpha channel; offered: ${actions.map((a) => a.title)}`);
    await vscode.commands.executeCommand(flatten.command.command, ...(flatten.command.arguments ?? []));
    assert.match(document.getText(), /last_frame: \.\/alpha-flat\.png\n/);
    await vscode.workspace.fs.stat(vscode.Uri.joinPath(workspaceFolder(), 'media-test', 'alpha-flat.png'));
    await waitFor('only the missing file left', () => {
      const left = wanDiagnostics(uri);
      return left.length === 1 && document.getText(left[0].range) === './gone.png';
    });
  });

  it('completion offers the workspace\'s images for first_frame, relative to the prompt file', async () => {
    const uri = await write('complete.wanprompt', '---\nmodel: wan2.7-i2v\nfirst_frame: \n---\nA cat.\n');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(2, 13));
    const files = list.items.filter((item) => item.kind === vscode.CompletionItemKind.File).map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    assert.ok(files.includes('./opaque.png') && files.includes('./alpha.png'), `images offered: ${files}`);
    assert.ok(!files.includes('./voice.wav'), 'no sound for an image key');
  });
});
