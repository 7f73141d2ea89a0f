// Checks a front matter's keys against the model they apply to, and works out what each prompt sends: its values and seeds.
import * as l10n from '@vscode/l10n';
import { clamp } from '../common/math';
import { findModel, MODEL_IDS, rulesFor, type MediaType } from '../wan/models';
import { checkParam, checkSeed, isNumberText, LIMITS, takesField, type ParamField } from '../wan/params';
import { at, changeTo, closestOf, fixesFor, remove, replace, unknownKey } from './frontMatterFixes';
import {
  isMediaKey, MAX_VARIANTS, PROMPT_FILE_KEYS, type FrontMatter, type FrontMatterField, type ParamKey, type PromptFileKey, type PromptFileProblem, type PromptMedia,
} from './promptFileTypes';
import { readMediaField } from './promptMedia';

type Values = Partial<Record<ParamKey, unknown>>;

export interface Scope {
  model: string;
  values: Values;
  fields: Partial<Record<PromptFileKey, FrontMatterField>>;
  /** The media keys it sets, in the order written; an empty key (`first_frame:`) drops the file's. */
  media: Partial<Record<MediaType, PromptMedia[]>>;
}

/** Checks one front matter's keys against its model (its own `model`, else `inheritedModel`). */
export function checkScope(frontMatter: FrontMatter | undefined, inheritedModel: string, problems: PromptFileProblem[]): Scope {
  const scope: Scope = { model: inheritedModel, values: {}, fields: {}, media: {} };
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
    if (isMediaKey(key)) {
      scope.media[key] = field.value === null || field.value === undefined ? [] : readMediaField(key, field, problems);
      continue;
    }
    if (key === 'model' || field.value === null || field.value === undefined) continue; // `seed:` left empty means "not set"
    const checked = checkKey(key as ParamKey, field, scope.model, problems);
    if (checked !== undefined) scope.values[key as ParamKey] = checked;
  }
  const { seed, seeds, variants } = scope.fields;
  if (seeds && seed) problems.push(at(seeds, 'key', l10n.t('seeds and seed both fix the seed: keep one of them.'), 'seeds', [remove(seed)]));
  if (seeds && variants) {
    problems.push(at(variants, 'key', l10n.t('variants and seeds both say how many videos to make: seeds makes one per seed, so remove variants.'), 'variants', [remove(variants)]));
  }
  return scope;
}

/** The model as it is sent: a known row's name (or dated snapshot) as the API writes it; an unknown name as written. */
function checkModel(field: FrontMatterField, problems: PromptFileProblem[]): string | undefined {
  const checked = checkParam('model', field.value);
  if ('problem' in checked) {
    problems.push(at(field, 'value', checked.problem, 'model'));
    return undefined;
  }
  const written = checked.value as string;
  const known = findModel(written);
  if (known) {
    const id = written.toLowerCase();
    if (String(field.value) !== id) {
      problems.push(at(field, 'value', l10n.t('Write the model as {0}.', id), 'model', [replace(field, id)], 'warning'));
    }
    return id;
  }
  // The service may have a newer model: it is sent as written, with only the keys the file writes.
  const closest = closestOf(written.toLowerCase(), MODEL_IDS, 4);
  const message = l10n.t('model "{0}" is not one this extension knows: it is sent as written, with only the keys you write and none of the defaults. Known models: {1}.', written, MODEL_IDS.join(', '));
  problems.push(at(field, 'value', message, 'model', closest ? [replace(field, closest)] : undefined, 'warning'));
  return written;
}

/** Checks one key's value against `model`; returns the value to send, or undefined when it has a problem. */
function checkKey(key: ParamKey, field: FrontMatterField, model: string, problems: PromptFileProblem[]): unknown {
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
  if (typeof value === 'string' && isNumberText(value)) {
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
      const fixes = typeof item === 'string' && isNumberText(item) ? [{ title: changeTo(item.trim()), edits: [{ start, end, text: item.trim() }] }] : undefined;
      problems.push({ message: checked.problem, start, end, field: 'seeds', severity: 'error', fixes });
    } else if (seen.has(item as number)) {
      problems.push({ message: l10n.t('Seed {0} is listed twice: the same seed makes the same video twice.', item as number), start, end, field: 'seeds', severity: 'warning' });
    }
    seen.add(item as number);
  });
  return ok ? (value as number[]) : undefined;
}

/** A key the file's front matter sets for every prompt, read again under a prompt's own model. */
export function checkInherited(text: string, file: Scope, prompt: Scope, problems: PromptFileProblem[]): void {
  const modelField = prompt.fields.model;
  if (!modelField || prompt.model === file.model) return;
  for (const [key, value] of Object.entries(file.values) as [ParamKey, unknown][]) {
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
export function checkMultiShot(file: Scope, prompt: Scope | undefined, problems: PromptFileProblem[]): void {
  if (prompt && !prompt.fields.shot_type && !prompt.fields.prompt_extend) return;
  const values = prompt ? { ...file.values, ...prompt.values } : file.values;
  const field = prompt?.fields.shot_type ?? prompt?.fields.prompt_extend ?? file.fields.shot_type;
  if (field && values.shot_type === 'multi' && values.prompt_extend === false) {
    problems.push(at(field, 'value', l10n.t('shot_type: multi works only with prompt_extend: true; with prompt_extend off the video is one shot.'), field.key as PromptFileKey, undefined, 'warning'));
  }
}

/** `variants` counts up from `seed`: the last one must stay a valid seed. Said where the prompt (or the file) sets them. */
export function checkSeedRange(file: Scope, prompt: Scope | undefined, problems: PromptFileProblem[]): void {
  const scope = prompt ?? file;
  const field = scope.fields.seed ?? scope.fields.variants;
  if (!field || scope.fields.seeds) return;
  const seeds = seedsOf(file, prompt);
  const last = seeds[seeds.length - 1];
  if (last !== undefined && last > LIMITS.seedMax) {
    problems.push(at(field, 'value', l10n.t('{0} variants from seed {1} would pass the largest seed, {2}: choose a smaller seed.', seeds.length, seeds[0] ?? 0, LIMITS.seedMax), field.key as PromptFileKey));
  }
}

export function mergeOverrides(file: Values, prompt: Values): Partial<Record<ParamField, unknown>> {
  const merged: Values = { ...file, ...prompt };
  const overrides: Partial<Record<ParamField, unknown>> = {};
  for (const [key, value] of Object.entries(merged) as [ParamKey, unknown][]) {
    if (key === 'seed' || key === 'seeds' || key === 'variants' || value === undefined) continue;
    overrides[key] = value;
  }
  return overrides;
}

/**
 * One seed per video. `seeds` lists them; `variants: n` makes n videos, from `seed` upwards when it is set.
 * A prompt's seeds replace the file's seed and variants, and its seed or variants replace the file's seeds.
 */
export function seedsOf(file: Scope, prompt: Scope | undefined): (number | undefined)[] {
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

/** The 1-based line of `offset`. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
