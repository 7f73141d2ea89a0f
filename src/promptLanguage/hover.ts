// Hover on a front-matter key (or its value): what it does, what it allows under the model, its default.
import * as vscode from 'vscode';
import { loadPromptParser } from '../bundles/loader';
import type { KeyDoc } from '../prompt/keys';
import type { PromptFileKey } from '../prompt/promptFile';
import { parseDocument, promptName, rangeOf } from './promptDocuments';

/** The key's documentation; its texts are the extension's own (markdown on purpose), never the user's. */
export function keyDocMarkdown(doc: KeyDoc, model: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${doc.key}**: ${doc.summary}\n\n`);
  md.appendMarkdown(`*${vscode.l10n.t('Allowed with {0}', model)}*: ${doc.allowed}  \n`);
  md.appendMarkdown(`*${vscode.l10n.t('Default')}*: ${doc.default}  \n`);
  md.appendMarkdown(`*${vscode.l10n.t('Models')}*: ${doc.models.join(', ')}`);
  return md;
}

export class PromptHovers implements vscode.HoverProvider {
  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const parser = loadPromptParser();
    const file = parseDocument(document);
    const offset = document.offsetAt(position);
    const scope = parser.frontMatterAt(file, offset);
    if (scope) {
      const field = scope.frontMatter.fields.find((f) => offset >= f.keyStart && offset <= Math.max(f.keyEnd, f.valueEnd));
      if (!field || !(parser.PROMPT_FILE_KEYS as readonly string[]).includes(field.key)) return undefined;
      const doc = parser.keyDoc(field.key as PromptFileKey, scope.model);
      return new vscode.Hover(keyDocMarkdown(doc, scope.model), rangeOf(document, field.keyStart, Math.max(field.keyEnd, field.valueEnd)));
    }
    // On a ### line: what the prompt will make.
    const entry = parser.promptAt(file, offset);
    if (!entry?.header || offset > entry.header.end) return undefined;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${vscode.l10n.t('Prompt')}**: `);
    md.appendText(promptName(entry));
    md.appendMarkdown(`\n\n${vscode.l10n.t('{0} video(s) with {1}', entry.seeds.length, entry.model)}`);
    const seeds = entry.seeds.filter((s) => s !== undefined);
    md.appendMarkdown(seeds.length > 0 ? ` · ${vscode.l10n.t('seeds {0}', seeds.join(', '))}` : ` · ${vscode.l10n.t('random seeds')}`);
    const settings = Object.entries(entry.overrides).filter(([key]) => key !== 'model');
    if (settings.length > 0) {
      md.appendMarkdown('  \n');
      md.appendText(settings.map(([key, value]) => `${key}: ${String(value)}`).join(' · '));
    }
    return new vscode.Hover(md, rangeOf(document, entry.header.start, entry.header.end));
  }
}
