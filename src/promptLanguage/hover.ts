// Hover on a front-matter key (or its value): what it does, what it allows under the model, its default; on a media
// path, the file's format, size and dimensions or duration; on 图1 / Image 1 in a prompt, the file it means.
import * as vscode from 'vscode';
import { loadPromptParser } from '../bundles/loader';
import type { MediaInfo } from '../media';
import type { KeyDoc } from '../prompt/keys';
import type { PromptEntry, PromptFile, PromptFileKey, PromptMedia } from '../prompt/promptFile';
import type { CostInput } from '../tasks/costs';
import { costContext, costInputs } from './costEstimates';
import { mediaContext } from './mediaDiagnostics';
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
  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const parser = loadPromptParser();
    const file = parseDocument(document);
    const offset = document.offsetAt(position);
    const item = mediaAt(file, offset);
    if (item) return new vscode.Hover(await fileMarkdown(document, item.source, item.voice ? 'reference_voice' : item.media.type), rangeOf(document, item.start, item.end));
    const reference = parser.promptAt(file, offset)?.mediaReferences.find((r) => offset >= r.start && offset <= r.end);
    if (reference) {
      const entry = parser.promptAt(file, offset)!;
      const media = reference.media !== undefined ? entry.media[reference.media] : undefined;
      const md = media
        ? await fileMarkdown(document, media.source, `${reference.type} ${reference.n}`)
        : new vscode.MarkdownString(vscode.l10n.t('This prompt has no {0} number {1}.', reference.type, reference.n));
      return new vscode.Hover(md, rangeOf(document, reference.start, reference.end));
    }
    const scope = parser.frontMatterAt(file, offset);
    if (scope) {
      const field = scope.frontMatter.fields.find((f) => offset >= f.keyStart && offset <= Math.max(f.keyEnd, f.valueEnd));
      if (!field || !(parser.PROMPT_FILE_KEYS as readonly string[]).includes(field.key)) return undefined;
      const doc = parser.keyDoc(field.key as PromptFileKey, scope.model);
      const md = keyDocMarkdown(doc, scope.model);
      if (field.key === 'duration' || field.key === 'resolution') appendCosts(md, field.key, scope.entry ? [scope.entry] : file.prompts);
      return new vscode.Hover(md, rangeOf(document, field.keyStart, Math.max(field.keyEnd, field.valueEnd)));
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

/**
 * On `duration` and `resolution`: what the prompts it applies to cost now, with one more second, and at the model's
 * other resolutions. A prompt whose own front matter sets the key keeps its value.
 */
function appendCosts(md: vscode.MarkdownString, key: 'duration' | 'resolution', entries: readonly PromptEntry[]): void {
  const context = costContext();
  if (!context || entries.length === 0) return;
  const parser = loadPromptParser();
  const label = (change: Partial<CostInput>) => {
    const inputs = entries.flatMap((entry) => costInputs(entry, context, entry.frontMatter?.fields.some((f) => f.key === key) ? {} : change));
    return parser.estimateLabel(parser.estimateSubmission(inputs, context.endpoint, context.overrides));
  };
  const now = costInputs(entries[0], context)[0];
  const parts = [vscode.l10n.t('now {0}', label({}))];
  if (key === 'duration' && now.duration !== undefined && now.duration > 0) parts.push(vscode.l10n.t('{0} s: {1}', now.duration + 1, label({ duration: now.duration + 1 })));
  if (key === 'resolution') {
    const current = parser.estimateTask(now, context.endpoint, context.overrides).tier;
    for (const tier of parser.rulesFor(entries[0].model).resolutions.filter((t) => t !== current)) parts.push(vscode.l10n.t('at {0}: {1}', tier, label({ resolution: tier })));
  }
  const videos = entries.reduce((sum, entry) => sum + entry.seeds.length, 0);
  md.appendMarkdown(`\n\n*${vscode.l10n.t('Cost of {0} video(s) on {1}', videos, new URL(context.endpoint.baseUrl).host)}*: `);
  md.appendText(parts.join(' · '));
}

/** The media path (or voice) under the cursor, in any prompt's media (the file's front matter's are in every prompt). */
function mediaAt(file: PromptFile, offset: number): { media: PromptMedia; source: string; start: number; end: number; voice?: true } | undefined {
  for (const media of file.prompts.flatMap((entry) => entry.media)) {
    if (offset >= media.start && offset <= media.end) return { media, source: media.source, start: media.start, end: media.end };
    if (media.referenceVoice !== undefined && offset >= media.voiceStart! && offset <= media.voiceEnd!) {
      return { media, source: media.referenceVoice, start: media.voiceStart!, end: media.voiceEnd!, voice: true };
    }
  }
  return undefined;
}

/** `label`: what the value is (its key, or "reference_image 2"); then the file and what its header says. */
async function fileMarkdown(document: vscode.TextDocument, source: string, label: string): Promise<vscode.MarkdownString> {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${label}**: `);
  md.appendText(source);
  const context = mediaContext(document);
  if (loadPromptParser().isWebLink(source) || !context) return md;
  const { file, read } = await loadPromptParser().mediaFileInfo(source, context);
  md.appendMarkdown('  \n');
  md.appendText(file);
  md.appendMarkdown('  \n');
  md.appendText('info' in read ? describeMedia(read.info) : read.problem.message);
  return md;
}

function describeMedia(info: MediaInfo): string {
  const size = info.size >= 1024 * 1024 ? `${(info.size / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(info.size / 1024)} KB`;
  const parts = [info.format.toUpperCase(), size];
  if (info.kind === 'image' || info.kind === 'video') parts.push(`${info.width}×${info.height} px`);
  if (info.kind === 'video' || info.kind === 'audio') parts.push(vscode.l10n.t('{0} s', Math.round(info.seconds * 100) / 100));
  if (info.kind === 'image' && info.alpha) parts.push(vscode.l10n.t('with transparency'));
  return parts.join(' · ');
}
