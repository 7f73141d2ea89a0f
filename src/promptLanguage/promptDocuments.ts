// Every language feature reads a .wanprompt document through here: parsed once per version, under the wan.model setting.
import * as vscode from 'vscode';
import { loadPromptParser } from '../bundles/loader';
import { shortened } from '../common/text';
import type { PromptEntry, PromptFile } from '../prompt/promptFile';
import { defaultModel } from '../vscode/settings';

export const PROMPT_LANGUAGE = 'wanprompt';
export const PROMPT_SELECTOR: vscode.DocumentSelector = { language: PROMPT_LANGUAGE };
/** The source of the problems shown in .wanprompt files. */
export const DIAGNOSTIC_SOURCE = 'Wan';

const parsed = new WeakMap<vscode.TextDocument, { version: number; model: string; file: PromptFile }>();

/** The parser loads on the first call, never at activation. */
export function parseDocument(document: vscode.TextDocument): PromptFile {
  const model = defaultModel();
  const cached = parsed.get(document);
  if (cached && cached.version === document.version && cached.model === model) return cached.file;
  const file = loadPromptParser().parsePromptFile(document.getText(), { defaultModel: model });
  parsed.set(document, { version: document.version, model, file });
  return file;
}

export function rangeOf(document: vscode.TextDocument, start: number, end: number): vscode.Range {
  return new vscode.Range(document.positionAt(start), document.positionAt(end));
}

/** What the outline, the lenses and the tree call a prompt: its title, else its first words. */
export function promptName(entry: PromptEntry): string {
  if (entry.title) return entry.title;
  return shortened(entry.prompt, 40) || vscode.l10n.t('(empty prompt)');
}
