// The editing help for .wanprompt files, as the editor asks for it: completion, hover, quick fixes, lenses, outline, folding.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { examplePromptFile } from '../../src/prompt/example';
import { asUserReadsIt, EXTENSION_ID, openWorkspaceFile } from './helpers';
import { takeScreenshot } from './screenshot';
import { waitFor } from './waitFor';

async function openPrompt(name: string, text: string): Promise<vscode.TextEditor> {
  const editor = await openWorkspaceFile(name, text);
  assert.equal(editor.document.languageId, 'wanprompt');
  return editor;
}

/** Position just after the first occurrence of `marker`. */
function positionAfter(document: vscode.TextDocument, marker: string): vscode.Position {
  const index = document.getText().indexOf(marker);
  assert.ok(index >= 0, `"${marker}" is in the document`);
  return document.positionAt(index + marker.length);
}

/** Lets the editor render (lenses, hovers, suggestions are debounced), without the other suites' notifications, then saves a screenshot. */
async function screenshot(name: string): Promise<void> {
  await vscode.commands.executeCommand('notifications.clearAll');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await takeScreenshot(name);
}

async function completionLabels(document: vscode.TextDocument, position: vscode.Position, kind: vscode.CompletionItemKind): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
  return list.items.filter((item) => item.kind === kind).map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
}

async function hoverText(document: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
  const markdown = hovers.flatMap((hover) => hover.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
  return asUserReadsIt(markdown);
}

async function lensTitles(document: vscode.TextDocument): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
  return lenses.map((lens) => lens.command?.title ?? '');
}

function wanDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Wan');
}

describe('.wanprompt editing help', function () {
  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('completes the keys the model takes, then the values each key allows', async () => {
    const editor = await openPrompt('complete.wanprompt', '---\n\n---\n### Boat\n---\nmodel: wan2.5-t2v-preview\nduration: \n\n---\nA boat.\n');
    const { document } = editor;
    const fileKeys = await completionLabels(document, new vscode.Position(1, 0), vscode.CompletionItemKind.Property);
    for (const key of ['model', 'resolution', 'ratio', 'duration', 'variants', 'seeds', 'audio_url']) assert.ok(fileKeys.includes(key), `${key} in ${fileKeys}`);
    assert.ok(!fileKeys.includes('size') && !fileKeys.includes('shot_type'), 'wan2.7 (the setting) takes no size or shot_type');

    const promptKeys = await completionLabels(document, new vscode.Position(7, 0), vscode.CompletionItemKind.Property);
    assert.ok(promptKeys.includes('size'), `wan2.5 takes a size: ${promptKeys}`);
    assert.ok(!promptKeys.includes('resolution') && !promptKeys.includes('model') && !promptKeys.includes('duration'), `no resolution, nor keys already set: ${promptKeys}`);

    const durations = await completionLabels(document, positionAfter(document, 'duration: '), vscode.CompletionItemKind.Value);
    assert.deepEqual(durations, ['5', '10']);

    // As a person would see it: the suggestions open after `model:` in the file's front matter.
    await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), 'model: '));
    editor.selection = new vscode.Selection(new vscode.Position(1, 7), new vscode.Position(1, 7));
    const models = await completionLabels(document, new vscode.Position(1, 7), vscode.CompletionItemKind.Value);
    assert.deepEqual(models, [
      'wan3.0-video', 'wan3.0-video-prime', 'wan2.7-t2v', 'wan2.7-i2v', 'wan2.7-r2v', 'wan2.7-videoedit',
      'wan2.6-t2v', 'wan2.5-t2v-preview', 'wan2.2-t2v-plus', 'wanx2.1-t2v-turbo', 'wanx2.1-t2v-plus',
    ]);
    await vscode.commands.executeCommand('editor.action.triggerSuggest');
    await screenshot('h4-completion-models');
    await vscode.commands.executeCommand('hideSuggestWidget');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('documents every key on hover, with what it allows under the prompt\'s model and its default', async () => {
    const editor = await openPrompt('hover.wanprompt', '---\nduration: 5\n---\n### Old model\n---\nmodel: wan2.5-t2v-preview\nduration: 10\n---\nA boat.\n');
    const { document } = editor;
    const fileDuration = await hoverText(document, new vscode.Position(1, 2));
    assert.match(fileDuration, /\*\*duration\*\*/);
    assert.match(fileDuration, /Allowed with wan2\.7-t2v\*: 2–15 seconds/);
    assert.match(fileDuration, /Default/);
    const promptDuration = await hoverText(document, new vscode.Position(6, 2));
    assert.match(promptDuration, /Allowed with wan2\.5-t2v-preview\*: 5 or 10 seconds/);
    const header = await hoverText(document, new vscode.Position(3, 5));
    assert.match(header, /Old model/);
    assert.match(header, /1 video\(s\) with wan2\.5-t2v-preview/);
    editor.selection = new vscode.Selection(6, 2, 6, 2);
    await vscode.commands.executeCommand('editor.action.showHover');
    await screenshot('h4-hover-duration');
  });

  it('underlines each mistake at its value, and its quick fix repairs it', async () => {
    const text = '---\nduration: 20\nwatermark: "true"\nnegativ_prompt: blurry\n---\n### A\n---\nmodel: wan2.6-t2v\nduration: 7\nsize: 1280x720\n---\nA boat.\n### B\n---\nresolution: 720p\n---\nA cat.\n';
    const { document } = await openPrompt('fixes.wanprompt', text);
    const diagnostics = await waitFor('the diagnostics', () => {
      const found = wanDiagnostics(document.uri);
      return found.length >= 6 ? found : undefined;
    });
    assert.deepEqual(
      diagnostics.map((d) => [document.getText(d.range), d.severity]).sort(),
      [['"true"', vscode.DiagnosticSeverity.Error], ['1280x720', vscode.DiagnosticSeverity.Error], ['20', vscode.DiagnosticSeverity.Error],
        ['7', vscode.DiagnosticSeverity.Error], ['720p', vscode.DiagnosticSeverity.Warning], ['negativ_prompt', vscode.DiagnosticSeverity.Error]].sort(),
    );
    await screenshot('h4-diagnostics');
    // Apply the preferred fix of each problem, one at a time, as the lightbulb would.
    for (let round = 0; round < 10; round++) {
      const [diagnostic] = wanDiagnostics(document.uri);
      if (!diagnostic) break;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
      const preferred = actions.find((a) => a.isPreferred);
      assert.ok(preferred?.edit, `a quick fix for "${diagnostic.message}"; offered: ${JSON.stringify(actions.map((a) => [a.title, a.isPreferred]))}`);
      assert.ok(await vscode.workspace.applyEdit(preferred.edit));
      await waitFor('the fixed problem to go', () => !wanDiagnostics(document.uri).some((d) => d.message === diagnostic.message && d.range.isEqual(diagnostic.range)));
    }
    assert.equal(
      document.getText(),
      '---\nduration: 15\nwatermark: true\nnegative_prompt: blurry\n---\n### A\n---\nmodel: wan2.6-t2v\nduration: 5\nsize: 1280*720\n---\nA boat.\n### B\n---\nresolution: 720P\n---\nA cat.\n',
    );
    assert.deepEqual(wanDiagnostics(document.uri), []);
    await vscode.commands.executeCommand('workbench.action.files.save');
  });

  it('shows Generate lenses above each prompt and Generate all at the top, and hides them when turned off', async () => {
    const { document } = await openPrompt('lenses.wanprompt', examplePromptFile());
    // The default endpoint (APIYI) bills in USD: 5 s 720P of wan2.7-t2v is $0.42.
    assert.deepEqual(await lensTitles(document), ['$(run-all) Generate all (4 videos) · ≈ $1.68', '$(play) Generate · 5 s 720P · ≈ $0.42', '$(play) Generate 3 videos · 5 s 720P · ≈ $1.26']);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
    assert.deepEqual(lenses.map((l) => l.command?.command), ['wan.generateAll', 'wan.generatePrompt', 'wan.generatePrompt']);
    assert.deepEqual(lenses[2].command?.arguments?.[1], 1, 'the lens names its prompt');
    assert.equal(lenses[1].range.start.line, document.getText().split('\n').indexOf('### Paper boat'));
    await screenshot('h4-prompt-file-lenses');

    const config = vscode.workspace.getConfiguration('wan');
    await config.update('codeLens.enabled', false, vscode.ConfigurationTarget.Global);
    try {
      assert.deepEqual(await lensTitles(document), []);
    } finally {
      await config.update('codeLens.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.equal((await lensTitles(document)).length, 3);
  });

  it('a prompt with a problem gets a lens that says so instead of Generate', async () => {
    const { document } = await openPrompt('broken-lens.wanprompt', '### Good\nA boat.\n### Bad\n---\nduration: 99\n---\nA cat.\n');
    // Generate all submits the good prompt only, and its estimate counts only that one.
    assert.deepEqual(await lensTitles(document), ['$(run-all) Generate all (2 videos) · ≈ $0.42', '$(play) Generate · 5 s 720P · ≈ $0.42', '$(error) Fix 1 problem(s) to generate']);
  });

  it('lists the prompts in the outline and folds front matters and prompts', async () => {
    const { document } = await openPrompt('outline.wanprompt', examplePromptFile());
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', document.uri);
    assert.deepEqual(symbols.map((s) => [s.name, s.detail]), [['Paper boat', 'wan2.7-t2v'], ['Lighthouse, three takes', '3 videos · wan2.7-t2v']]);
    assert.equal(document.lineAt(symbols[1].selectionRange.start.line).text, '### Lighthouse, three takes');
    const folds = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', document.uri);
    const lines = document.getText().split('\n');
    const starts = folds.map((f) => lines[f.start]);
    for (const expected of ['---', '### Paper boat', '### Lighthouse, three takes', '# A Wan prompt file. Lines starting with # are comments.']) {
      assert.ok(starts.includes(expected), `a fold starts at "${expected}": ${JSON.stringify(starts)}`);
    }
    await vscode.commands.executeCommand('outline.focus');
    await screenshot('h4-outline');
  });

  it('New Prompt File opens an untitled prompt file with a commented example and no problem', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('wan.newPromptFile');
    assert.equal(editor.document.isUntitled, true);
    assert.equal(editor.document.languageId, 'wanprompt');
    assert.equal(editor.document.getText(), examplePromptFile());
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(wanDiagnostics(editor.document.uri), []);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('toggles # comments with the comment command', async () => {
    const editor = await openPrompt('comments.wanprompt', 'A boat.\n');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('editor.action.commentLine');
    assert.equal(editor.document.getText(), '# A boat.\n');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
