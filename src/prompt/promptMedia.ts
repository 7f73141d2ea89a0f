// The media keys of a front matter (first_frame: ./cat.png, reference_image: [./girl.png, ./hat.png]) read into a
// prompt's media inputs, checked against its model's media rules, and the prompt's references to them (图1, Video 2).
// Pure and synchronous: the files themselves are checked in mediaFiles.ts.
import * as l10n from '@vscode/l10n';
import { checkMediaRules, MEDIA_KINDS, outputDurationProblem } from '../wan/mediaRules';
import { rulesFor, type MediaType } from '../wan/models';
import type { FrontMatterField, MediaReference, Parts, PromptEntry, PromptFileProblem, PromptMedia } from './promptFileTypes';

/** Two letters or more before the colon: `C:\` is a drive, not a scheme. */
const SCHEME = /^([a-z][a-z0-9+.-]+):/i;

export function isWebLink(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** The key of a list item's path in the map form, `{ image: ./girl.png, voice: ./girl.wav }`. */
function pathKey(type: MediaType): string {
  const kind = MEDIA_KINDS[type];
  return kind === 'document' ? 'file' : kind;
}

/** One media key's items, in order; a value that is not a path or link is a problem at it, and left out. */
export function readMediaField(type: MediaType, field: FrontMatterField, problems: PromptFileProblem[]): PromptMedia[] {
  const list = Array.isArray(field.value);
  const items: unknown[] = list ? (field.value as unknown[]) : [field.value];
  const media: PromptMedia[] = [];
  items.forEach((item, i) => {
    const [start, end] = (list ? field.itemRanges?.[i] : undefined) ?? [field.valueStart, field.valueEnd];
    const parts = list ? field.itemParts?.[i] : field.valueParts;
    const read = readItem(type, item, start, end, parts, problems);
    if (read) media.push(read);
  });
  return media;
}

function readItem(type: MediaType, item: unknown, start: number, end: number, parts: Parts | undefined, problems: PromptFileProblem[]): PromptMedia | undefined {
  const problem = (message: string, at: [number, number] = [start, end]) => {
    problems.push({ message, start: at[0], end: at[1], field: type, severity: 'error' });
    return undefined;
  };
  if (typeof item === 'string') return checkSource(type, item, [start, end], problems) ? { type, source: item.trim(), start, end } : undefined;
  const key = pathKey(type);
  const form = l10n.t('Write each {0} as a path or an http(s):// link, or as {1}.', type, `{ ${key}: ./…, voice: ./voice.wav }`);
  if (item === null || typeof item !== 'object' || Array.isArray(item) || !parts) return problem(form);
  const map = item as Record<string, unknown>;
  const other = Object.keys(map).find((name) => name !== key && name !== 'voice');
  if (other !== undefined) return problem(l10n.t('"{0}" is not a part of a {1} item. {2}', other, type, form), parts[other]);
  const source = map[key];
  if (typeof source !== 'string') return problem(l10n.t('The item needs its {0}. {1}', key, form));
  const at = parts[key];
  if (!checkSource(type, source, at, problems)) return undefined;
  const media: PromptMedia = { type, source: source.trim(), start: at[0], end: at[1] };
  if (map.voice !== undefined) {
    const voiceAt = parts.voice;
    if (typeof map.voice !== 'string') return problem(l10n.t('voice is the path or http(s):// link of a wav or mp3 file.'), voiceAt);
    if (!checkSource(type, map.voice, voiceAt, problems)) return undefined;
    Object.assign(media, { referenceVoice: map.voice.trim(), voiceStart: voiceAt[0], voiceEnd: voiceAt[1] });
  }
  return media;
}

/** A path (relative to the prompt file or a workspace folder) or an http(s) link; a link for `link`. */
function checkSource(type: MediaType, written: string, [start, end]: [number, number], problems: PromptFileProblem[]): boolean {
  const source = written.trim();
  const problem = (message: string) => {
    problems.push({ message, start, end, field: type, severity: 'error' });
    return false;
  };
  if (source === '') return problem(l10n.t('{0} is empty: write the path of a file in the workspace, or an http(s):// link.', type));
  if (isWebLink(source)) {
    try {
      new URL(source);
      return true;
    } catch {
      return problem(l10n.t('"{0}" is not a valid link. Check it, or write the path of a file in the workspace.', source));
    }
  }
  if (MEDIA_KINDS[type] === 'link') return problem(l10n.t('link is the http(s):// address of a public web page; for a document in the workspace use file.'));
  const scheme = SCHEME.exec(source)?.[1].toLowerCase();
  if (scheme === 'data') return problem(l10n.t('Write the path of the file instead of a data: URI: the extension sends the file\'s bytes itself.'));
  if (scheme) return problem(l10n.t('{0} takes a path in the workspace or an http(s):// link, not a {1}: address.', type, scheme));
  return true;
}

/** The media of a prompt: the file's keys (those the prompt does not set), then the prompt's own. */
export function mergeMedia(file: Partial<Record<MediaType, PromptMedia[]>>, prompt: Partial<Record<MediaType, PromptMedia[]>> = {}): PromptMedia[] {
  const inherited = (Object.keys(file) as MediaType[]).filter((type) => !(type in prompt)).flatMap((type) => file[type]!);
  return [...inherited, ...Object.values(prompt).flat()];
}

/**
 * The media of `entry` against its model's rules, each problem at the item it is about. An item the file's front matter
 * sets is flagged at the prompt's own model when it has one (the file's line would stop every prompt); a missing type
 * at the prompt's model, else its ### line, else the file's model, else its text.
 */
export function checkPromptMedia(
  entry: PromptEntry,
  at: { ownModel?: FrontMatterField; fileModel?: FrontMatterField; duration?: FrontMatterField },
  problems: PromptFileProblem[],
): void {
  const modelAt = (field: FrontMatterField) => ({ start: field.valueStart, end: field.valueEnd });
  const tooLong = at.duration && outputDurationProblem(rulesFor(entry.model), entry.media, entry.overrides.duration);
  if (tooLong) problems.push({ message: tooLong, ...modelAt(at.duration!), field: 'duration', severity: 'error' });
  for (const problem of checkMediaRules(rulesFor(entry.model), entry.media)) {
    const item = problem.index !== undefined ? entry.media[problem.index] : undefined;
    let place: { start: number; end: number };
    if (item) {
      place = problem.voice ? { start: item.voiceStart!, end: item.voiceEnd! } : item;
      if ((place.start < entry.start || place.start > entry.end) && at.ownModel) place = modelAt(at.ownModel);
    } else {
      place = at.ownModel ? modelAt(at.ownModel) : entry.header ?? (at.fileModel ? modelAt(at.fileModel) : { start: entry.promptStart, end: entry.promptEnd });
    }
    problems.push({ message: problem.message, start: place.start, end: place.end, field: item?.type ?? 'model', severity: 'error' });
  }
}

const REFERENCE = /(图|视频|音频)\s?(\d+)|\b(image|video|audio)\s?(\d+)\b/giu;
const REFERENCE_TYPES = {
  图: 'reference_image', image: 'reference_image', 视频: 'reference_video', video: 'reference_video', 音频: 'reference_audio', audio: 'reference_audio',
} as const;
const COMMENT_LINE = /^[ \t]*#/;

/** Where the prompt text says 图1 / Image 1 and the like, under a model that takes that reference type; a missing one is a warning. */
export function findMediaReferences(text: string, entry: PromptEntry, problems: PromptFileProblem[]): MediaReference[] {
  const counts = rulesFor(entry.model).media?.counts ?? [];
  const references: MediaReference[] = [];
  const body = text.slice(entry.promptStart, entry.promptEnd);
  for (const match of body.matchAll(REFERENCE)) {
    const start = entry.promptStart + match.index;
    const line = text.slice(text.lastIndexOf('\n', start - 1) + 1, start);
    const type = REFERENCE_TYPES[(match[1] ?? match[3]).toLowerCase() as keyof typeof REFERENCE_TYPES];
    if (COMMENT_LINE.test(line) || !counts.some((c) => c.type === type)) continue;
    const n = Number(match[2] ?? match[4]);
    const ofType = entry.media.map((item, index) => ({ item, index })).filter(({ item }) => item.type === type);
    const reference: MediaReference = { start, end: start + match[0].length, type, n };
    if (n >= 1 && n <= ofType.length) {
      reference.media = ofType[n - 1].index;
    } else {
      const message = ofType.length === 0
        ? l10n.t('"{0}" refers to reference {1} of {2}, but this prompt has no {2}: add it to the front matter, or reword the prompt.', match[0], n, type)
        : l10n.t('"{0}" refers to reference {1} of {2}, but this prompt has only {3}: add it, or refer to one from 1 to {3}.', match[0], n, type, ofType.length);
      problems.push({ message, start: reference.start, end: reference.end, field: 'prompt', severity: 'warning' });
    }
    references.push(reference);
  }
  return references;
}
