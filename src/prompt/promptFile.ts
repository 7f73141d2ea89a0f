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
import * as l10n from '@vscode/l10n';
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { findModel, hasFixedDuration, MODEL_IDS, nearestDuration, rulesFor, T2V_MODELS } from '../wan/models';
import { checkParam, checkSeed, DEFAULT_MODEL, LIMITS, RATIOS, RESOLUTIONS, takesField, type ParamField } from '../wan/params';

/** The keys a front matter may set: the API's own parameter names, and the two that make several videos of one prompt. */
export const PROMPT_FILE_KEYS = [
  'model', 'resolution', 'ratio', 'size', 'duration', 'shot_type', 'seed', 'seeds', 'variants',
  'prompt_extend', 'watermark', 'negative_prompt', 'audio_url',
] as const;
export type PromptFileKey = (typeof PROMPT_FILE_KEYS)[number];

/** The most videos one prompt may ask for (through variants or seeds). */
export const MAX_VARIANTS = 20;

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
}

export interface PromptFileProblem {
  message: string;
  start: number;
  end: number;
  /** The key the problem is about, or `prompt` for the prompt text. */
  field?: PromptFileKey | 'prompt';
  /** Errors stop the prompt from being submitted; warnings do not. */
  severity: 'error' | 'warning';
  fixes?: QuickFix[];
}

export interface FrontMatterField {
  key: string;
  /** As YAML read it, before any check. */
  value: unknown;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
  /** The whole line, its line break included: what removing the key removes. */
  lineStart: number;
  lineEnd: number;
  /** For a list value (`seeds`): where each item is. */
  itemRanges?: [number, number][];
}

export interface FrontMatter {
  /** From the opening --- to the end of the closing --- line. */
  start: number;
  end: number;
  /** The YAML between the fences. */
  bodyStart: number;
  bodyEnd: number;
  closed: boolean;
  fields: FrontMatterField[];
}

export interface PromptEntry {
  index: number;
  /** The words after ###. */
  title?: string;
  /** The ### line; absent for a prompt written before any ### line. */
  header?: { start: number; end: number };
  /** The whole section, from its ### line (or the file's start) to the next ### line. */
  start: number;
  end: number;
  frontMatter?: FrontMatter;
  /** The text, without comment lines. */
  prompt: string;
  promptStart: number;
  promptEnd: number;
  /** The model the prompt's rules follow: its own, the file's, or the default. */
  model: string;
  /** Checked values for the create call, the file's front matter overridden by the prompt's; no prompt, no seed. */
  overrides: Partial<Record<ParamField, unknown>>;
  /** One entry per video: a fixed seed, or undefined for one the caller picks. */
  seeds: (number | undefined)[];
}

export interface PromptFile {
  /** The file's own front matter: defaults for every prompt. */
  defaults?: FrontMatter;
  /** The model of the file's front matter, or the default model. */
  model: string;
  prompts: PromptEntry[];
  /** Every problem, in the order of the text. */
  problems: PromptFileProblem[];
}

export interface ParseOptions {
  /** The model when the file names none: the `wan.model` setting. */
  defaultModel?: string;
}

const FENCE = /^---[ \t]*$/;
/** One rule for every run of #s: exactly three at the line's start begin a prompt; any other run is a comment. */
const SEPARATOR = /^###(?!#)/;
const COMMENT = /^[ \t]*#/;
/** Comment lines a reader may take for a prompt's start: a deeper heading, or an indented ###. */
const LOOKS_LIKE_SEPARATOR = /^(#{4,})|^[ \t]+(###)(?!#)/;
const NUMBER_TEXT = /^\s*-?\d+(\.\d+)?\s*$/;
const BOOLEAN_TEXT = /^\s*(true|false)\s*$/i;

type Values = Partial<Record<PromptFileKey, unknown>>;

interface Line { text: string; start: number; end: number; next: number }

interface Section {
  header?: Line;
  firstLine: number;
  lastLine: number;
  frontMatter?: { open: number; close?: number; last: number };
  textLines: Line[];
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
    };
    const title = section.header?.text.replace(SEPARATOR, '').trim();
    if (title) entry.title = title;
    if (section.header) entry.header = { start: section.header.start, end: section.header.end };
    if (frontMatter) entry.frontMatter = frontMatter;
    checkPromptText(entry, section, problems);
    prompts.push(entry);
  });

  problems.sort((a, b) => a.start - b.start || a.end - b.end);
  return { defaults, model: fileScope.model, prompts, problems };
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

// ---- structure ----

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const pattern = /([^\r\n]*)(\r\n|\r|\n|$)/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const start = match.index;
    const bom = start === 0 && match[1].charCodeAt(0) === 0xfeff ? 1 : 0;
    lines.push({ text: match[1].slice(bom), start: start + bom, end: start + match[1].length, next: start + match[0].length });
    if (match[2] === '') break;
  }
  return lines;
}

/** A ### line always starts a new section, even inside an unclosed front matter. */
function splitSections(lines: Line[], problems: PromptFileProblem[]): Section[] {
  const sections: Section[] = [];
  let section: Section = { firstLine: 0, lastLine: 0, textLines: [] };
  let inLead = true; // before the prompt text: blank lines, comments, a front matter
  let sawFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (SEPARATOR.test(line.text)) {
      sections.push(section);
      section = { header: line, firstLine: i, lastLine: i, textLines: [] };
      inLead = true;
      sawFence = false;
      continue;
    }
    section.lastLine = i;
    if (COMMENT.test(line.text)) warnIfAmbiguous(line, problems);
    if (line.text.trim() === '' || COMMENT.test(line.text)) {
      if (!inLead && line.text.trim() === '') section.textLines.push(line);
      continue;
    }
    if (inLead && FENCE.test(line.text) && !section.frontMatter) {
      let close: number | undefined;
      let last = i;
      for (let j = i + 1; j < lines.length && !SEPARATOR.test(lines[j].text); j++) {
        last = j;
        if (FENCE.test(lines[j].text)) {
          close = j;
          break;
        }
      }
      section.frontMatter = close === undefined ? { open: i, last } : { open: i, close, last: close };
      if (close === undefined) {
        problems.push({
          message: l10n.t('The front matter opened on line {0} is never closed: add a line with --- between the settings and the prompt.', i + 1),
          start: line.start,
          end: line.end,
          severity: 'error',
        });
      }
      section.lastLine = last;
      i = last;
      continue;
    }
    if (FENCE.test(line.text) && !sawFence) {
      sawFence = true;
      problems.push({
        message: l10n.t('This --- line is part of the prompt text. To give the next prompt settings of its own, start it with a ### line, then its --- block.'),
        start: line.start,
        end: line.end,
        severity: 'warning',
      });
    }
    inLead = false;
    section.textLines.push(line);
  }
  sections.push(section);
  return sections;
}

function warnIfAmbiguous(line: Line, problems: PromptFileProblem[]): void {
  const match = LOOKS_LIKE_SEPARATOR.exec(line.text);
  if (!match) return;
  const hashes = match[1] ?? match[2];
  const start = line.start + line.text.indexOf(hashes);
  const rest = line.text.slice(line.text.indexOf(hashes) + hashes.length);
  problems.push({
    message: l10n.t('This line is a comment: only a line that starts with exactly ### (at its very start) begins a new prompt.'),
    start,
    end: start + hashes.length,
    severity: 'warning',
    fixes: [{ title: l10n.t('Start a new prompt here'), edits: [{ start: line.start, end: line.end, text: `###${rest}` }] }],
  });
}

function promptText(textLines: Line[]): { prompt: string; start: number; end: number } {
  const filled = textLines.filter((line) => line.text.trim() !== '');
  if (filled.length === 0) return { prompt: '', start: 0, end: 0 };
  const first = filled[0];
  const last = filled[filled.length - 1];
  const from = textLines.indexOf(first);
  const to = textLines.indexOf(last);
  const prompt = textLines.slice(from, to + 1).map((line) => line.text.trimEnd()).join('\n').trim();
  const start = first.start + (first.text.length - first.text.trimStart().length);
  const end = last.start + last.text.trimEnd().length;
  return { prompt, start, end };
}

function checkPromptText(entry: PromptEntry, section: Section, problems: PromptFileProblem[]): void {
  if (section.frontMatter && section.frontMatter.close === undefined) return; // already reported: the prompt is inside it
  if (entry.prompt === '') {
    const at = entry.header ?? { start: entry.start, end: entry.end };
    problems.push({ message: emptyPromptMessage(entry, section), start: at.start, end: at.end, field: 'prompt', severity: 'error' });
    return;
  }
  const checked = checkParam('prompt', entry.prompt);
  if ('problem' in checked) {
    problems.push({ message: checked.problem, start: entry.promptStart, end: entry.promptEnd, field: 'prompt', severity: 'error' });
  }
}

// ---- front matter ----

/** Front matters already parsed, by their text: an edit re-reads only the one it touched (long files stay fast to check). */
const parsedYaml = new Map<string, ReturnType<typeof parseDocument>>();
const PARSED_YAML_LIMIT = 5000;
/** Alias expansions allowed in one value: a few are handy, thousands are an attack on the editor. */
const MAX_ALIAS_COUNT = 100;

/** The YAML document of a front matter's text; its ranges are relative to that text, so it serves wherever the text moves. */
function parseYaml(source: string): ReturnType<typeof parseDocument> {
  let doc = parsedYaml.get(source);
  if (!doc) {
    if (parsedYaml.size >= PARSED_YAML_LIMIT) parsedYaml.clear();
    doc = parseDocument(source, { uniqueKeys: true, prettyErrors: false });
    parsedYaml.set(source, doc);
  }
  return doc;
}

function readFrontMatter(text: string, lines: Line[], block: NonNullable<Section['frontMatter']>, problems: PromptFileProblem[]): FrontMatter {
  const open = lines[block.open];
  const bodyStart = open.next;
  const bodyEnd = block.close !== undefined ? lines[block.close].start : lines[block.last].next;
  const frontMatter: FrontMatter = {
    start: open.start,
    end: lines[block.last].end,
    bodyStart,
    bodyEnd: Math.max(bodyStart, bodyEnd),
    closed: block.close !== undefined,
    fields: [],
  };
  if (!frontMatter.closed) return frontMatter; // its end is a guess: reading it would only add noise

  const source = text.slice(bodyStart, bodyEnd);
  const doc = parseYaml(source);
  // An error found at the end of the YAML (an unclosed bracket) is shown on its last character, not on the closing ---.
  const last = Math.max(1, source.trimEnd().length);
  for (const error of doc.errors) {
    const start = Math.min(error.pos[0], last - 1);
    const end = Math.min(Math.max(error.pos[1], start + 1), last);
    problems.push({ message: l10n.t('The front matter is not valid YAML: {0}', firstLine(error.message)), start: bodyStart + start, end: bodyStart + end, severity: 'error' });
  }
  if (doc.errors.length > 0 || doc.contents === null) return frontMatter;
  if (!isMap(doc.contents)) {
    const [start, end] = doc.contents.range ?? [0, source.length];
    problems.push({ message: l10n.t('The front matter must be a list of `key: value` lines, for example `duration: 5`.'), start: bodyStart + start, end: bodyStart + end, severity: 'error' });
    return frontMatter;
  }
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key)) continue;
    const [keyStart, keyEnd] = (pair.key.range ?? [0, 0]).map((n) => bodyStart + n);
    const written = pair.value as Node | null;
    const [valueStart, valueEnd] = written?.range ? [bodyStart + written.range[0], bodyStart + written.range[1]] : [keyEnd, keyEnd];
    const valueNode = isAlias(written) ? (written.resolve(doc) ?? null) : written;
    let value: unknown;
    try {
      value = isSeq(valueNode) ? valueNode.items.map((item) => nodeValue(item as Node, doc, source)) : nodeValue(valueNode, doc, source);
    } catch {
      // The YAML library refuses an alias that expands too far (a "billion laughs" front matter).
      problems.push({ message: l10n.t('{0} repeats its aliases too often to be read: write the values out instead of using *aliases.', String(pair.key.value)), start: valueStart, end: valueEnd, severity: 'error' });
      continue;
    }
    const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
    const newline = text.indexOf('\n', Math.max(valueEnd, keyEnd));
    const lineEnd = newline < 0 || newline >= bodyEnd ? bodyEnd : newline + 1;
    const field: FrontMatterField = { key: String(pair.key.value), value, keyStart, keyEnd, valueStart, valueEnd, lineStart, lineEnd };
    if (isSeq(valueNode)) {
      field.itemRanges = valueNode.items.map((item): [number, number] => {
        const range = (item as Node).range;
        return range ? [bodyStart + range[0], bodyStart + range[1]] : [valueStart, valueEnd];
      });
    }
    frontMatter.fields.push(field);
  }
  return frontMatter;
}

/** A node's value with aliases resolved; a number too large for JavaScript stays as written, so a message can quote it. */
function nodeValue(node: Node | null, doc: Document, source: string): unknown {
  const target = isAlias(node) ? node.resolve(doc) : node;
  if (!target) return null;
  if (!isScalar(target)) return target.toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT });
  if (typeof target.value === 'number' && !Number.isFinite(target.value) && target.range) return source.slice(target.range[0], target.range[1]);
  return target.value;
}

interface Scope {
  model: string;
  values: Values;
  fields: Partial<Record<PromptFileKey, FrontMatterField>>;
}

/** Checks one front matter's keys against its model (its own `model`, else `inheritedModel`). */
function checkScope(frontMatter: FrontMatter | undefined, inheritedModel: string, problems: PromptFileProblem[]): Scope {
  const scope: Scope = { model: inheritedModel, values: {}, fields: {} };
  if (!frontMatter) return scope;
  for (const field of frontMatter.fields) {
    if ((PROMPT_FILE_KEYS as readonly string[]).includes(field.key)) scope.fields[field.key as PromptFileKey] = field;
  }
  const modelField = scope.fields.model;
  if (modelField && modelField.value !== null && modelField.value !== undefined) {
    const model = checkModel(modelField, problems);
    if (model) {
      scope.model = model;
      scope.values.model = model;
    }
  }
  for (const field of frontMatter.fields) {
    const key = field.key;
    if (!(PROMPT_FILE_KEYS as readonly string[]).includes(key)) {
      problems.push(unknownKey(field));
      continue;
    }
    if (key === 'model' || field.value === null || field.value === undefined) continue; // `seed:` left empty means "not set"
    const checked = checkKey(key as PromptFileKey, field, scope.model, problems);
    if (checked !== undefined) scope.values[key as PromptFileKey] = checked;
  }
  const { seed, seeds, variants } = scope.fields;
  if (seeds && seed) problems.push(at(seeds, 'key', l10n.t('seeds and seed both fix the seed: keep one of them.'), 'seeds', [remove(seed)]));
  if (seeds && variants) {
    problems.push(at(variants, 'key', l10n.t('variants and seeds both say how many videos to make: seeds makes one per seed, so remove variants.'), 'variants', [remove(variants)]));
  }
  return scope;
}

function checkModel(field: FrontMatterField, problems: PromptFileProblem[]): string | undefined {
  const written = typeof field.value === 'string' ? field.value : String(field.value);
  const known = findModel(written);
  if (known) {
    if (written !== known.id) {
      problems.push(at(field, 'value', l10n.t('Write the model as {0}.', known.id), 'model', [replace(field, known.id)], 'warning'));
    }
    return known.id;
  }
  const closest = closestOf(written.trim().toLowerCase(), MODEL_IDS, 4);
  const message = /-(i2v|r2v)\b/i.test(written)
    ? l10n.t('model "{0}" is not a text-to-video model this extension knows. {0} makes videos from images; prompt files are text to video. Use one of {1}.', written, MODEL_IDS.join(', '))
    : l10n.t('model "{0}" is not a text-to-video model this extension knows. Use one of {1}.', written, MODEL_IDS.join(', '));
  problems.push(at(field, 'value', message, 'model', closest ? [replace(field, closest)] : undefined));
  return undefined;
}

/** Checks one key's value against `model`; returns the value to send, or undefined when it has a problem. */
function checkKey(key: PromptFileKey, field: FrontMatterField, model: string, problems: PromptFileProblem[]): unknown {
  if (key === 'variants') return checkVariants(field, problems);
  if (key === 'seeds') return checkSeeds(field, problems);
  const checked = checkParam(key, field.value, model);
  if ('problem' in checked) {
    problems.push(at(field, 'value', checked.problem, key, fixesFor(key, field, model)));
    return undefined;
  }
  // Accepted but written otherwise (720p for 720P): say how the API writes it.
  if (typeof field.value === 'string' && typeof checked.value === 'string' && ['resolution', 'shot_type'].includes(key) && field.value !== checked.value) {
    problems.push(at(field, 'value', l10n.t('Write {0} as {1}, as the API does.', key, checked.value), key, [replace(field, checked.value)], 'warning'));
  }
  return checked.value;
}

function checkVariants(field: FrontMatterField, problems: PromptFileProblem[]): number | undefined {
  const value = field.value;
  if (typeof value === 'string' && NUMBER_TEXT.test(value)) {
    problems.push(at(field, 'value', l10n.t('{0} must be a number, not a string — write {1} without quotes.', 'variants', value.trim()), 'variants', [replace(field, value.trim())]));
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_VARIANTS) {
    const fixes = typeof value === 'number' && Number.isFinite(value) ? [replace(field, String(clamp(Math.round(value), 1, MAX_VARIANTS)))] : undefined;
    const message = l10n.t('variants is how many videos to make of the prompt, each with its own seed: a whole number from 1 to {0}; got {1}.', MAX_VARIANTS, JSON.stringify(value));
    problems.push(at(field, 'value', message, 'variants', fixes));
    return undefined;
  }
  return value;
}

function checkSeeds(field: FrontMatterField, problems: PromptFileProblem[]): number[] | undefined {
  const value = field.value;
  if (!Array.isArray(value)) {
    problems.push(at(field, 'value', l10n.t('seeds is a list with one seed per video, like [1, 2, 3]; for one seed write seed: {0}.', JSON.stringify(value)), 'seeds'));
    return undefined;
  }
  if (value.length === 0 || value.length > MAX_VARIANTS) {
    problems.push(at(field, 'value', l10n.t('seeds must list from 1 to {0} seeds; it lists {1}.', MAX_VARIANTS, value.length), 'seeds'));
    return undefined;
  }
  const ranges = field.itemRanges ?? [];
  let ok = true;
  const seen = new Set<number>();
  value.forEach((item, i) => {
    const [start, end] = ranges[i] ?? [field.valueStart, field.valueEnd];
    const checked = checkSeed(item, l10n.t('each seed'));
    if ('problem' in checked) {
      ok = false;
      const fixes = typeof item === 'string' && NUMBER_TEXT.test(item) ? [{ title: changeTo(item.trim()), edits: [{ start, end, text: item.trim() }] }] : undefined;
      problems.push({ message: checked.problem, start, end, field: 'seeds', severity: 'error', fixes });
    } else if (seen.has(item as number)) {
      problems.push({ message: l10n.t('Seed {0} is listed twice: the same seed makes the same video twice.', item as number), start, end, field: 'seeds', severity: 'warning' });
    }
    seen.add(item as number);
  });
  return ok ? (value as number[]) : undefined;
}

/** A key the file's front matter sets for every prompt, read again under a prompt's own model. */
function checkInherited(text: string, file: Scope, prompt: Scope, problems: PromptFileProblem[]): void {
  const modelField = prompt.fields.model;
  if (!modelField || prompt.model === file.model) return;
  for (const [key, value] of Object.entries(file.values) as [PromptFileKey, unknown][]) {
    if (key === 'model' || key === 'variants' || key === 'seeds' || key in prompt.fields) continue;
    const checked = checkParam(key, value, prompt.model);
    if (!('problem' in checked)) continue;
    const line = lineOf(text, file.fields[key]!.keyStart);
    const message = takesField(rulesFor(prompt.model), key)
      ? l10n.t('{0} The file\'s front matter sets {1} for every prompt (line {2}): give this prompt a {1} of its own.', checked.problem, key, line)
      : l10n.t('{0} does not take {1}, which the file\'s front matter sets for every prompt (line {2}): move it into the prompts that use {3}.', prompt.model, key, line, file.model);
    problems.push(at(modelField, 'value', message, 'model'));
  }
}

/** shot_type: multi needs prompt_extend on; said once, where the prompt (or the file) sets one of them. */
function checkMultiShot(file: Scope, prompt: Scope | undefined, problems: PromptFileProblem[]): void {
  if (prompt && !prompt.fields.shot_type && !prompt.fields.prompt_extend) return;
  const values = prompt ? { ...file.values, ...prompt.values } : file.values;
  const field = prompt?.fields.shot_type ?? prompt?.fields.prompt_extend ?? file.fields.shot_type;
  if (field && values.shot_type === 'multi' && values.prompt_extend === false) {
    problems.push(at(field, 'value', l10n.t('shot_type: multi works only with prompt_extend: true; with prompt_extend off the video is one shot.'), field.key as PromptFileKey, undefined, 'warning'));
  }
}

/** `variants` counts up from `seed`: the last one must stay a valid seed. Said where the prompt (or the file) sets them. */
function checkSeedRange(file: Scope, prompt: Scope | undefined, problems: PromptFileProblem[]): void {
  const scope = prompt ?? file;
  const field = scope.fields.seed ?? scope.fields.variants;
  if (!field || scope.fields.seeds) return;
  const seeds = seedsOf(file, prompt);
  const last = seeds[seeds.length - 1];
  if (last !== undefined && last > LIMITS.seedMax) {
    problems.push(at(field, 'value', l10n.t('{0} variants from seed {1} would pass the largest seed, {2}: choose a smaller seed.', seeds.length, seeds[0] ?? 0, LIMITS.seedMax), field.key as PromptFileKey));
  }
}

function mergeOverrides(file: Values, prompt: Values): Partial<Record<ParamField, unknown>> {
  const merged: Values = { ...file, ...prompt };
  const overrides: Partial<Record<ParamField, unknown>> = {};
  for (const [key, value] of Object.entries(merged) as [PromptFileKey, unknown][]) {
    if (key === 'seed' || key === 'seeds' || key === 'variants' || value === undefined) continue;
    overrides[key] = value;
  }
  return overrides;
}

/**
 * One seed per video. `seeds` lists them; `variants: n` makes n videos, from `seed` upwards when it is set.
 * A prompt's seeds replace the file's seed and variants, and its seed or variants replace the file's seeds.
 */
function seedsOf(file: Scope, prompt: Scope | undefined): (number | undefined)[] {
  const own = prompt?.fields ?? {};
  const ownValues = prompt?.values ?? {};
  let from: Values;
  if (own.seeds) from = { seeds: ownValues.seeds };
  else if (own.seed || own.variants) from = { seed: own.seed ? ownValues.seed : file.values.seed, variants: own.variants ? ownValues.variants : file.values.variants };
  else from = file.values;
  if (Array.isArray(from.seeds)) return [...(from.seeds as number[])];
  const count = (from.variants as number | undefined) ?? 1;
  const seed = from.seed as number | undefined;
  return Array.from({ length: count }, (_, i) => (seed === undefined ? undefined : seed + i));
}

// ---- quick fixes ----

function fixesFor(key: ParamField, field: FrontMatterField, model: string): QuickFix[] | undefined {
  const value = field.value;
  const rules = rulesFor(model);
  const fixes: QuickFix[] = [];
  if (typeof value === 'string' && ['duration', 'seed'].includes(key) && NUMBER_TEXT.test(value)) {
    fixes.push(replace(field, value.trim()));
  }
  if (typeof value === 'string' && ['prompt_extend', 'watermark'].includes(key) && BOOLEAN_TEXT.test(value)) {
    fixes.push(replace(field, value.trim().toLowerCase()));
  }
  if (key === 'duration' && typeof value === 'number' && Number.isFinite(value)) {
    const nearest = nearestDuration(rules, value);
    fixes.push(hasFixedDuration(rules) ? remove(field) : replace(field, String(nearest)));
  }
  if (key === 'seed' && typeof value === 'number' && Number.isFinite(value)) {
    fixes.push(replace(field, String(clamp(Math.round(value), 0, LIMITS.seedMax))));
  }
  if (key === 'size' && typeof value === 'string') {
    const starred = value.trim().replace(/\s*[xX×]\s*/, '*');
    if (rules.sizes.some((option) => option.size === starred)) fixes.push(replace(field, starred));
    if (rules.shape === 'resolution-ratio') {
      const known = T2V_MODELS.flatMap((m) => m.sizes).find((option) => option.size === starred);
      if (known && (RESOLUTIONS as readonly string[]).includes(known.tier)) {
        fixes.push(replaceLine(
          l10n.t('Change to resolution: {0} and ratio: {1}', known.tier, known.ratio),
          field,
          [`resolution: ${known.tier}`, `ratio: ${quoteRatio(known.ratio)}`],
        ));
      }
    }
  }
  if (!takesField(rules, key)) fixes.push(remove(field));
  return fixes.length > 0 ? fixes : undefined;
}

function quoteRatio(ratio: string): string {
  return (RATIOS as readonly string[]).includes(ratio) ? ratio : JSON.stringify(ratio);
}

function unknownKey(field: FrontMatterField): PromptFileProblem {
  const closest = closestOf(field.key.toLowerCase(), PROMPT_FILE_KEYS, 3);
  const fixes = closest && field.key !== 'prompt'
    ? [{ title: changeTo(closest), edits: [{ start: field.keyStart, end: field.keyEnd, text: closest }] }]
    : undefined;
  const message = field.key === 'prompt'
    ? l10n.t('Unknown key "{0}". Allowed keys: {1}. The prompt itself goes below the closing ---.', field.key, PROMPT_FILE_KEYS.join(', '))
    : l10n.t('Unknown key "{0}". Allowed keys: {1}.', field.key, PROMPT_FILE_KEYS.join(', '));
  return { message, start: field.keyStart, end: field.keyEnd, severity: 'error', fixes };
}

function at(field: FrontMatterField, part: 'key' | 'value', message: string, key: PromptFileKey, fixes?: QuickFix[], severity: 'error' | 'warning' = 'error'): PromptFileProblem {
  const [start, end] = part === 'key' ? [field.keyStart, field.keyEnd] : [field.valueStart, field.valueEnd];
  const problem: PromptFileProblem = { message, start, end, field: key, severity };
  if (fixes && fixes.length > 0) problem.fixes = fixes;
  return problem;
}

function changeTo(text: string): string {
  return l10n.t('Change to {0}', text);
}

/** "Change to <text>": the field's value becomes `text`. */
function replace(field: FrontMatterField, text: string): QuickFix {
  return { title: changeTo(text), edits: [{ start: field.valueStart, end: field.valueEnd, text }] };
}

/** "Remove <key>": the field's whole line goes. */
function remove(field: FrontMatterField): QuickFix {
  return { title: l10n.t('Remove {0}', field.key), edits: [{ start: field.lineStart, end: field.lineEnd, text: '' }] };
}

/** A title comes from a ### line: only an untitled prompt can be below a front matter or nothing. */
function emptyPromptMessage(entry: PromptEntry, section: Section): string {
  if (entry.title) return l10n.t('The prompt "{0}" is empty: write the text of the video below its ### line.', entry.title);
  if (entry.header) return l10n.t('The prompt is empty: write the text of the video below its ### line.');
  if (section.frontMatter) return l10n.t('The prompt is empty: write the text of the video below the front matter.');
  return l10n.t('The prompt is empty: write the text of the video.');
}

/** Replaces the key's whole line with other `key: value` lines, at the same indentation. */
function replaceLine(title: string, field: FrontMatterField, lines: string[]): QuickFix {
  const indent = ' '.repeat(field.keyStart - field.lineStart);
  const ending = field.lineEnd > field.valueEnd ? '\n' : '';
  return { title, edits: [{ start: field.lineStart, end: field.lineEnd, text: lines.map((line) => indent + line).join('\n') + ending }] };
}

// ---- helpers ----

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}

/** The candidate nearest to `word` by edit distance, if within `maxDistance`. */
function closestOf(word: string, candidates: readonly string[], maxDistance: number): string | undefined {
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
