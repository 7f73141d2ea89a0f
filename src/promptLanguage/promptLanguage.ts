// The editing help for .wanprompt files: completion, hover, quick fixes, lenses, outline, folding, and New Prompt File.
// Registering costs nothing: each provider loads the parser the first time it is asked.
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { examplePromptFile } from '../prompt/example';
import type { TaskStore } from '../tasks/taskStore';
import { PromptCodeLenses } from './codeLens';
import { PromptCompletions } from './completion';
import { flattenImage, FLATTEN_COMMAND } from './flattenImage';
import { PromptHovers } from './hover';
import { PromptOutline } from './outline';
import { PROMPT_LANGUAGE, PROMPT_SELECTOR } from './promptDocuments';
import { PromptQuickFixes } from './quickFixes';

export class PromptLanguage extends Disposable {
  private promptFileOpened = false;

  constructor(store: TaskStore) {
    super();
    const lenses = this._register(new PromptCodeLenses(store));
    const outline = new PromptOutline();
    this._register(vscode.languages.registerCompletionItemProvider(PROMPT_SELECTOR, new PromptCompletions(), ':'));
    this._register(vscode.languages.registerHoverProvider(PROMPT_SELECTOR, new PromptHovers()));
    this._register(vscode.languages.registerCodeActionsProvider(PROMPT_SELECTOR, new PromptQuickFixes(), PromptQuickFixes.metadata));
    this._register(vscode.languages.registerCodeLensProvider(PROMPT_SELECTOR, lenses));
    this._register(vscode.languages.registerDocumentSymbolProvider(PROMPT_SELECTOR, outline, { label: vscode.l10n.t('Prompts') }));
    this._register(vscode.languages.registerFoldingRangeProvider(PROMPT_SELECTOR, outline));
    this._register(vscode.commands.registerCommand('wan.newPromptFile', () => newPromptFile()));
    this._register(vscode.commands.registerCommand(FLATTEN_COMMAND, flattenImage));
    this._register(vscode.workspace.onDidOpenTextDocument((document) => this.markPromptFileOpened(document)));
    for (const document of vscode.workspace.textDocuments) this.markPromptFileOpened(document);
  }

  /** Ticks off the walkthrough's "Write a prompt file" step, whose completion event is this context key. */
  private markPromptFileOpened(document: vscode.TextDocument): void {
    if (this.promptFileOpened || document.languageId !== PROMPT_LANGUAGE) return;
    this.promptFileOpened = true;
    void vscode.commands.executeCommand('setContext', 'wan.promptFileOpened', true);
  }
}

/** An untitled prompt file holding a commented example of every part of the format. */
async function newPromptFile(): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: PROMPT_LANGUAGE, content: examplePromptFile() });
  return vscode.window.showTextDocument(document);
}
