// Completion inside a front matter: the keys its model takes, then the values each allows; for a media key, the
// workspace's files of its kind.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadPromptParser } from '../bundles/loader';
import type { PromptFileKey } from '../prompt/promptFile';
import type { MediaType } from '../wan/models';
import { keyDocMarkdown } from './hover';
import { parseDocument } from './promptDocuments';

/** The path being typed: up to a space, comma, bracket, brace or quote. */
const PATH_BEFORE_CURSOR = /[^\s,[\]{}"']*$/;
const KEY_OF_LINE = /^\s*([A-Za-z_]+)\s*:/;
const LIST_ITEM = /^\s*-(\s|$)/;
const VOICE_BEFORE = /\bvoice\s*:\s*["']?$/;
const MAX_FILES = 500;

const KEY_BEFORE_CURSOR = /^(\s*)([A-Za-z_]*)$/;
const VALUE_BEFORE_CURSOR = /^\s*([A-Za-z_]+)\s*:\s*(\S*)$/;

export class PromptCompletions implements vscode.CompletionItemProvider {
  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.ProviderResult<vscode.CompletionItem[]> {
    const parser = loadPromptParser();
    const file = parseDocument(document);
    const scope = parser.frontMatterAt(file, document.offsetAt(position));
    if (!scope) return undefined;
    const before = document.lineAt(position.line).text.slice(0, position.character);
    const media = mediaKeyAt(document, position, before);
    if (media) return mediaFiles(document, position, before, media);

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

/** The media type whose value the cursor is in: `first_frame: ./|`, `reference_image: [./a.png, |`, a `- |` item below it, `voice: |`. */
function mediaKeyAt(document: vscode.TextDocument, position: vscode.Position, before: string): MediaType | 'reference_voice' | undefined {
  const parser = loadPromptParser();
  const typed = before.slice(0, before.length - (PATH_BEFORE_CURSOR.exec(before)?.[0].length ?? 0));
  if (!/[:,[\-{]\s*["']?$/.test(typed)) return undefined; // still typing a key
  // A list item belongs to the key above it.
  let line = position.line;
  while (line > 0 && LIST_ITEM.test(line === position.line ? before : document.lineAt(line).text)) line--;
  const key = KEY_OF_LINE.exec(line === position.line ? before : document.lineAt(line).text)?.[1];
  if (!key || !parser.isMediaKey(key)) return undefined;
  return VOICE_BEFORE.test(typed) ? 'reference_voice' : key;
}

/** The workspace's files of the type's kind, as paths relative to the prompt file, the nearest first. */
async function mediaFiles(document: vscode.TextDocument, position: vscode.Position, before: string, type: MediaType | 'reference_voice'): Promise<vscode.CompletionItem[]> {
  const extensions = loadPromptParser().mediaExtensions(type);
  if (extensions.length === 0) return [];
  const uris = await vscode.workspace.findFiles(`**/*.{${extensions.join(',')}}`, '**/node_modules/**', MAX_FILES);
  const typed = PATH_BEFORE_CURSOR.exec(before)?.[0] ?? '';
  const range = new vscode.Range(position.translate(0, -typed.length), position);
  const folder = path.dirname(document.uri.fsPath);
  const paths = uris.map((uri) => {
    const relative = path.relative(folder, uri.fsPath).split(path.sep).join('/');
    return relative.startsWith('../') ? relative : `./${relative}`;
  });
  paths.sort((a, b) => a.split('../').length - b.split('../').length || a.localeCompare(b));
  return paths.map((relative, i) => {
    const item = new vscode.CompletionItem(relative, vscode.CompletionItemKind.File);
    item.range = range;
    item.detail = type;
    item.sortText = String(i).padStart(4, '0');
    return item;
  });
}
