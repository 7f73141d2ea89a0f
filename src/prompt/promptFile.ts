// Parses a .wanprompt file: one prompt or several, each with settings of its own over the file's.
// Pure: no vscode import; positions are offsets into the text so any editor can map them.
//
//   # a comment line            (outside the --- blocks; inside them YAML's own # comments work)
//   ---                         the file's front matter: defaults for every prompt below
//   resolution: 1080P
//   ---
//   ### Paper boat              a line starting with exactly ### starts a prompt; the words after it are its title
//   #### a heading              any other run of #s is a comment (#### and an indented ### are flagged)
//   ---                         the prompt's own front matter, overriding the file's
//   variants: 3
//   ---
//   A paper boat drifting down a rain gutter.
import { DEFAULT_MODEL } from '../wan/params';
import { readFrontMatter } from './frontMatter';
import { checkInherited, checkMultiShot, checkScope, checkSeedRange, mergeOverrides, seedsOf } from './frontMatterChecks';
import type { FrontMatter, PromptEntry, PromptFile, PromptFileProblem } from './promptFileTypes';
import { checkPromptMedia, findMediaReferences, mergeMedia } from './promptMedia';
import { checkPromptText, promptText, SEPARATOR, splitLines, splitSections } from './promptSections';

export {
  isMediaKey, MAX_VARIANTS, MEDIA_KEYS, PROMPT_FILE_KEYS,
  type FrontMatter, type FrontMatterField, type MediaReference, type PromptEntry, type PromptFile, type PromptFileKey, type PromptFileProblem, type PromptMedia,
  type QuickFix, type TextEdit,
} from './promptFileTypes';
export { isWebLink } from './promptMedia';

export interface ParseOptions {
  /** The model when the file names none: the `wan.model` setting. */
  defaultModel?: string;
}

/** Reads the whole file; never throws: whatever is wrong becomes a problem at its place. */
export function parsePromptFile(text: string, options: ParseOptions = {}): PromptFile {
  const lines = splitLines(text);
  const problems: PromptFileProblem[] = [];
  const sections = splitSections(lines, problems);
  const defaultModel = options.defaultModel?.trim() || DEFAULT_MODEL;

  const first = sections[0];
  const defaults = first.frontMatter ? readFrontMatter(text, lines, first.frontMatter, problems) : undefined;
  const fileScope = checkScope(defaults, defaultModel, problems);
  checkSeedRange(fileScope, undefined, problems);
  checkMultiShot(fileScope, undefined, problems);

  const prompts: PromptEntry[] = [];
  const onlyOne = sections.length === 1;
  sections.forEach((section, i) => {
    const isFirst = i === 0;
    if (isFirst && !onlyOne && section.textLines.length === 0) return; // the file's header: front matter and comments
    const frontMatter = isFirst ? undefined : section.frontMatter && readFrontMatter(text, lines, section.frontMatter, problems);
    // The first section's front matter is the file's: it has no scope of its own.
    const own = isFirst ? undefined : checkScope(frontMatter, fileScope.model, problems);
    if (own) {
      checkInherited(text, fileScope, own, problems);
      checkSeedRange(fileScope, own, problems);
      checkMultiShot(fileScope, own, problems);
    }
    const start = lines[section.firstLine].start;
    const end = lines[section.lastLine].end;
    const body = promptText(section.textLines);
    const entry: PromptEntry = {
      index: prompts.length,
      start,
      end,
      prompt: body.prompt,
      promptStart: body.prompt ? body.start : section.header ? section.header.end : end,
      promptEnd: body.prompt ? body.end : section.header ? section.header.end : end,
      model: own?.model ?? fileScope.model,
      overrides: mergeOverrides(fileScope.values, own?.values ?? {}),
      seeds: seedsOf(fileScope, own),
      media: mergeMedia(fileScope.media, own?.media),
      mediaReferences: [],
    };
    const title = section.header?.text.replace(SEPARATOR, '').trim();
    if (title) entry.title = title;
    if (section.header) entry.header = { start: section.header.start, end: section.header.end };
    if (frontMatter) entry.frontMatter = frontMatter;
    checkPromptText(entry, section, problems);
    checkPromptMedia(entry, { ownModel: own?.fields.model, fileModel: fileScope.fields.model, duration: own?.fields.duration ?? fileScope.fields.duration }, problems);
    entry.mediaReferences = findMediaReferences(text, entry, problems);
    prompts.push(entry);
  });

  problems.sort((a, b) => a.start - b.start || a.end - b.end);
  // Media the file's front matter sets are checked under each prompt: the same problem at the same place is said once.
  const unique = problems.filter((p, i) => i === 0 || !(p.start === problems[i - 1].start && p.end === problems[i - 1].end && p.message === problems[i - 1].message));
  return { defaults, model: fileScope.model, prompts, problems: unique };
}

/** The problems that stop this prompt from being submitted: its own, and those of the file's front matter. */
export function blockingProblems(file: PromptFile, entry: PromptEntry): PromptFileProblem[] {
  const inRange = (p: PromptFileProblem, start: number, end: number) => p.start >= start && p.start <= end;
  return file.problems.filter((p) => p.severity === 'error'
    && (inRange(p, entry.start, entry.end) || (file.defaults !== undefined && inRange(p, file.defaults.start, file.defaults.end))));
}

/** How many videos the file asks for. */
export function videoCount(file: PromptFile): number {
  return file.prompts.reduce((sum, entry) => sum + entry.seeds.length, 0);
}

/** The prompt whose section holds `offset`. */
export function promptAt(file: PromptFile, offset: number): PromptEntry | undefined {
  return file.prompts.find((entry) => offset >= entry.start && offset <= entry.end);
}

/** The front matter holding `offset` between its fences, and the model its keys are checked against. */
export function frontMatterAt(file: PromptFile, offset: number): { frontMatter: FrontMatter; model: string; entry?: PromptEntry } | undefined {
  const inside = (fm: FrontMatter | undefined) => fm !== undefined && offset >= fm.bodyStart && offset <= fm.bodyEnd;
  if (inside(file.defaults)) return { frontMatter: file.defaults!, model: file.model };
  const entry = file.prompts.find((candidate) => inside(candidate.frontMatter));
  return entry ? { frontMatter: entry.frontMatter!, model: entry.model, entry } : undefined;
}
