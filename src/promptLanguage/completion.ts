// Completion inside a front matter: the keys its model takes, then the values each allows.
import * as vscode from 'vscode';
import { loadPromptParser } from '../bundles/loader';
import type { PromptFileKey } from '../prompt/promptFile';
import { keyDocMarkdown } from './hover';
import { parseDocument } from './promptDocuments';

const KEY_BEFORE_CURSOR = /^(\s*)([A-Za-z_]*)$/;
const VALUE_BEFORE_CURSOR = /^\s*([A-Za-z_]+)\s*:\s*(\S*)$/;

export class PromptCompletions implements vscode.CompletionItemProvider {
  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] | undefined {
    const parser = loadPromptParser();
    const file = parseDocument(document);
    const scope = parser.frontMatterAt(file, document.offsetAt(position));
    if (!scope) return undefined;
    const before = document.lineAt(position.line).text.slice(0, position.character);

    const value = VALUE_BEFORE_CURSOR.exec(before);
    if (value) {
      const key = value[1] as PromptFileKey;
      if (!(parser.PROMPT_FILE_KEYS as readonly string[]).includes(key)) return undefined;
      const range = new vscode.Range(position.translate(0, -value[2].length), position);
      return parser.valueSuggestions(key, scope.model).map((suggestion, i) => {
        const item = new vscode.CompletionItem(suggestion.value, vscode.CompletionItemKind.Value);
        item.range = range;
        item.detail = suggestion.detail;
        item.sortText = String(i).padStart(3, '0'); // the order of the rules (720P before 1080P), not the alphabet's
        return item;
      });
    }

    const key = KEY_BEFORE_CURSOR.exec(before);
    if (!key) return undefined;
    const thisLine = document.offsetAt(new vscode.Position(position.line, 0));
    const present = new Set(scope.frontMatter.fields.filter((f) => f.lineStart !== thisLine).map((f) => f.key));
    const range = new vscode.Range(position.translate(0, -key[2].length), position);
    return parser.keysFor(scope.model).filter((name) => !present.has(name)).map((name, i) => {
      const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Property);
      const doc = parser.keyDoc(name, scope.model);
      item.range = range;
      item.insertText = `${name}: `;
      item.detail = doc.allowed;
      item.documentation = keyDocMarkdown(doc, scope.model);
      item.sortText = String(i).padStart(3, '0');
      // Straight on to the values it allows.
      item.command = { command: 'editor.action.triggerSuggest', title: vscode.l10n.t('Suggest values') };
      return item;
    });
  }
}
