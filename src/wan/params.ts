// The rules for the parameters of each text-to-video model, in one place for settings, prompt files and the create call.
import * as l10n from '@vscode/l10n';
import {
  describeDurations, findSize, hasFixedDuration, isAllowedDuration, rulesFor, SHOT_TYPES, sizeFor,
  type ModelRules, type OutputTier, type ShotType,
} from './models';

export const DEFAULT_MODEL = 'wan2.7-t2v';
/** The resolutions of wan2.7; older models name their output by `size`, whose tier may also be 480P. */
export const RESOLUTIONS = ['720P', '1080P'] as const;
export type Resolution = OutputTier;
export const RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4'] as const;
export type Ratio = (typeof RATIOS)[number];
export const LIMITS = { promptMax: 5000, negativePromptMax: 500, durationMin: 2, durationMax: 15, seedMax: 2147483647 };

export type ParamField =
  | 'model'
  | 'prompt'
  | 'negative_prompt'
  | 'audio_url'
  | 'resolution'
  | 'ratio'
  | 'size'
  | 'shot_type'
  | 'duration'
  | 'prompt_extend'
  | 'watermark'
  | 'seed';

export interface GenerationParams {
  model: string;
  prompt: string;
  negativePrompt?: string;
  audioUrl?: string;
  /** What the video will be; for a `size` model, the tier and ratio of its size. */
  resolution: Resolution;
  ratio: Ratio;
  /** `WIDTH*HEIGHT`, sent instead of resolution and ratio to the models that take it. */
  size?: string;
  shotType?: ShotType;
  duration: number;
  promptExtend: boolean;
  watermark: boolean;
  seed?: number;
}

export interface ParamProblem {
  field: ParamField;
  message: string;
}

export const PARAM_DEFAULTS: { resolution: Resolution; ratio: Ratio; duration: number; promptExtend: boolean; watermark: boolean } = {
  resolution: '720P',
  ratio: '16:9',
  duration: 5,
  promptExtend: true,
  watermark: false,
};

type Check = { value: unknown } | { problem: string };

function oneOf(field: string, allowed: readonly string[], value: unknown): Check {
  const list = allowed.join(', ');
  if (typeof value !== 'string') {
    // YAML 1.1 readers turn an unquoted 16:9 into a number, hence the hint to quote it.
    return { problem: l10n.t('{0} must be one of {1}, written as text in quotes (e.g. "{2}").', field, list, allowed[0]) };
  }
  const found = allowed.find((option) => option.toLowerCase() === value.trim().toLowerCase());
  return found ? { value: found } : { problem: l10n.t('{0} "{1}" is not allowed; use one of {2}.', field, value, list) };
}

/** `field` names the value in the message: a key such as `seed`, or words such as "each seed". */
function integer(field: string, value: unknown, min: number, max: number, seconds = false): Check {
  const range = seconds ? l10n.t('a whole number of seconds from {0} to {1}', min, max) : l10n.t('a whole number from {0} to {1}', min, max);
  if (typeof value === 'string') {
    return isNumberText(value)
      ? { problem: numberNotString(field, value) }
      : { problem: l10n.t('{0} must be {1}, not "{2}".', field, range, value) };
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return { problem: l10n.t('{0} must be {1}; got {2}.', field, range, JSON.stringify(value)) };
  }
  return { value };
}

/** A number written as text, as in "5" or " -2.5 ": a value quoted by mistake, which the messages and fixes point out. */
export function isNumberText(value: string): boolean {
  return /^\s*-?\d+(\.\d+)?\s*$/.test(value);
}

function numberNotString(field: string, value: string): string {
  return l10n.t('{0} must be a number, not a string — write {1} without quotes.', field, value.trim());
}

/** A seed, named in messages as `label` (a list item is "each seed"). */
export function checkSeed(value: unknown, label = 'seed'): Check {
  return integer(label, value, 0, LIMITS.seedMax);
}

function flag(field: string, value: unknown): Check {
  if (typeof value === 'boolean') return { value };
  if (typeof value === 'string' && /^\s*(true|false)\s*$/i.test(value)) {
    return { problem: l10n.t('{0} must be true or false, not a string — write {1} without quotes.', field, value.trim().toLowerCase()) };
  }
  return { problem: l10n.t('{0} must be true or false; got {1}.', field, JSON.stringify(value)) };
}

/** Characters as the service counts them (code points), so an emoji is one, not two. */
function characterCount(text: string): number {
  return Array.from(text).length;
}

/** What the prompt input box says while the prompt is typed: the prompt's own rules, but nothing while it is blank. */
export function promptInputProblem(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  const checked = checkParam('prompt', value);
  return 'problem' in checked ? checked.problem : undefined;
}

function optionalText(field: string, value: unknown, max: number): Check {
  if (typeof value !== 'string') return { problem: l10n.t('{0} must be text; got {1}.', field, JSON.stringify(value)) };
  const trimmed = value.trim();
  const length = characterCount(trimmed);
  if (length > max) return { problem: l10n.t('{0} is {1} characters long; at most {2} are allowed.', field, length, max) };
  return { value: trimmed === '' ? undefined : trimmed };
}

/**
 * Checks one field against the rules of `model` (wan2.7's when absent or unknown), normalising what it can:
 * `720p` becomes `720P`. A field the model does not take is a problem.
 */
export function checkParam(field: ParamField, value: unknown, model?: string): { value: unknown } | { problem: string } {
  if (value === undefined || value === null) {
    return field === 'prompt' ? { problem: l10n.t('prompt is required: describe the video to make.') } : { value: undefined };
  }
  const rules = rulesFor(model);
  if (!takesField(rules, field)) return { problem: notTaken(field, rules) };
  switch (field) {
    case 'model': {
      if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value.trim())) {
        return { problem: l10n.t('model must be a model name such as {0}; got {1}.', DEFAULT_MODEL, JSON.stringify(value)) };
      }
      return { value: value.trim() };
    }
    case 'prompt': {
      if (typeof value !== 'string') return { problem: l10n.t('{0} must be text; got {1}.', 'prompt', JSON.stringify(value)) };
      const trimmed = value.trim();
      if (trimmed === '') return { problem: l10n.t('prompt is empty: describe the video to make.') };
      const length = characterCount(trimmed);
      if (length > LIMITS.promptMax) {
        return { problem: l10n.t('prompt is {0} characters long; at most {1} are allowed (the service cuts the rest).', length, LIMITS.promptMax) };
      }
      return { value: trimmed };
    }
    case 'negative_prompt':
      return optionalText('negative_prompt', value, LIMITS.negativePromptMax);
    case 'audio_url': {
      const checked = optionalText('audio_url', value, 2048);
      if ('problem' in checked || checked.value === undefined) return checked;
      try {
        const url = new URL(checked.value as string);
        return url.protocol === 'https:' || url.protocol === 'http:'
          ? checked
          : { problem: l10n.t('audio_url must be a public http:// or https:// link to a wav or mp3 file (2–30 s, at most 15 MB).') };
      } catch {
        return { problem: l10n.t('audio_url is not a URL; it must be a public http:// or https:// link to a wav or mp3 file (2–30 s, at most 15 MB).') };
      }
    }
    case 'resolution':
      return oneOf('resolution', RESOLUTIONS, value);
    case 'ratio':
      return oneOf('ratio', RATIOS, value);
    case 'size':
      return checkSize(rules, value);
    case 'shot_type':
      return oneOf('shot_type', SHOT_TYPES, value);
    case 'duration':
      return checkDuration(rules, value);
    case 'prompt_extend':
      return flag('prompt_extend', value);
    case 'watermark':
      return flag('watermark', value);
    case 'seed':
      return checkSeed(value);
  }
}

/** Whether the model takes the field at all (every model takes a duration, though some only their fixed one). */
export function takesField(rules: ModelRules, field: ParamField): boolean {
  switch (field) {
    case 'resolution':
    case 'ratio':
      return rules.shape === 'resolution-ratio';
    case 'size':
      return rules.shape === 'size';
    case 'shot_type':
      return rules.shotType;
    case 'audio_url':
      return rules.audio;
    default:
      return true;
  }
}

function notTaken(field: ParamField, rules: ModelRules): string {
  switch (field) {
    case 'resolution':
    case 'ratio':
      return l10n.t('{0} does not take {1}: it takes size instead, e.g. size: {2}.', rules.id, field, rules.defaultSize ?? '');
    case 'size':
      return l10n.t('{0} does not take size: it takes resolution ({1}) and ratio ({2}) instead.', rules.id, RESOLUTIONS.join(', '), RATIOS.join(', '));
    case 'shot_type':
      return l10n.t('{0} does not take shot_type; only wan2.6-t2v does.', rules.id);
    case 'audio_url':
      return l10n.t('{0} makes silent videos and takes no audio_url; wan2.7-t2v, wan2.6-t2v and wan2.5-t2v-preview do.', rules.id);
    default:
      return l10n.t('{0} does not take {1}.', rules.id, field);
  }
}

function checkDuration(rules: ModelRules, value: unknown): Check {
  const rule = rules.durations;
  if (rule.kind === 'range') return integer('duration', value, rule.min, rule.max, true);
  if (typeof value === 'string' && isNumberText(value)) return { problem: numberNotString('duration', value) };
  if (typeof value === 'number' && isAllowedDuration(rules, value)) return { value };
  if (hasFixedDuration(rules)) {
    return { problem: l10n.t('{0} always makes {1}-second videos: leave duration out, or write {1}; got {2}.', rules.id, rule.choices[0], JSON.stringify(value)) };
  }
  return { problem: l10n.t('duration must be {0} seconds for {1}; got {2}.', describeDurations(rules), rules.id, JSON.stringify(value)) };
}

function checkSize(rules: ModelRules, value: unknown): Check {
  const list = rules.sizes.map((option) => option.size).join(', ');
  if (typeof value !== 'string') return { problem: l10n.t('size must be one of {0} (width*height); got {1}.', list, JSON.stringify(value)) };
  const written = value.trim();
  if (findSize(rules, written)) return { value: written };
  const starred = written.replace(/\s*[xX×]\s*/, '*');
  if (starred !== written && findSize(rules, starred)) return { problem: l10n.t('size is written with a *, as {0}, not {1}.', starred, written) };
  return { problem: l10n.t('size "{0}" is not one {1} makes; use one of {2}.', written, rules.id, list) };
}

const FIELDS: readonly ParamField[] = [
  'model', 'prompt', 'negative_prompt', 'audio_url', 'resolution', 'ratio', 'size', 'shot_type', 'duration', 'prompt_extend', 'watermark', 'seed',
];

/** Every field checked against the rules of the model it names (wan2.7's when it names none or an unknown one). */
export function validateParams(
  input: Partial<Record<ParamField, unknown>>,
): { params: GenerationParams; problems: [] } | { params?: undefined; problems: ParamProblem[] } {
  const problems: ParamProblem[] = [];
  const values: Partial<Record<ParamField, unknown>> = {};
  const modelChecked = checkParam('model', input.model);
  const model = 'value' in modelChecked ? (modelChecked.value as string | undefined) : undefined;
  for (const field of FIELDS) {
    const checked = checkParam(field, input[field], model);
    if ('problem' in checked) problems.push({ field, message: checked.problem });
    else values[field] = checked.value;
  }
  if (problems.length > 0) return { problems };
  const rules = rulesFor(model);
  const params: GenerationParams = {
    model: model ?? DEFAULT_MODEL,
    prompt: values.prompt as string,
    resolution: (values.resolution as Resolution | undefined) ?? PARAM_DEFAULTS.resolution,
    ratio: (values.ratio as Ratio | undefined) ?? PARAM_DEFAULTS.ratio,
    duration: (values.duration as number | undefined) ?? rules.defaultDuration,
    promptExtend: (values.prompt_extend as boolean | undefined) ?? PARAM_DEFAULTS.promptExtend,
    watermark: (values.watermark as boolean | undefined) ?? PARAM_DEFAULTS.watermark,
  };
  if (rules.shape === 'size') {
    const option = findSize(rules, (values.size as string | undefined) ?? rules.defaultSize ?? '') ?? rules.sizes[0];
    params.size = option.size;
    params.resolution = option.tier;
    params.ratio = option.ratio;
  }
  if (values.shot_type !== undefined) params.shotType = values.shot_type as ShotType;
  if (values.negative_prompt !== undefined) params.negativePrompt = values.negative_prompt as string;
  if (values.audio_url !== undefined) params.audioUrl = values.audio_url as string;
  if (values.seed !== undefined) params.seed = values.seed as number;
  return { params, problems: [] };
}

/**
 * The settings' defaults for one model: what it does not take is left out, a value it does not allow gives way
 * to its own default, and the settings' resolution and ratio become the matching size of a `size` model.
 */
export function defaultsForModel(defaults: Partial<Record<ParamField, unknown>>, model: string | undefined): Partial<Record<ParamField, unknown>> {
  const rules = rulesFor(model);
  const adapted: Partial<Record<ParamField, unknown>> = {};
  for (const [field, value] of Object.entries(defaults) as [ParamField, unknown][]) {
    const checked = checkParam(field, value, rules.id);
    if ('value' in checked && checked.value !== undefined) adapted[field] = checked.value;
  }
  if (rules.shape === 'size' && adapted.size === undefined) {
    const option = sizeFor(rules, String(defaults.resolution ?? PARAM_DEFAULTS.resolution), String(defaults.ratio ?? PARAM_DEFAULTS.ratio));
    if (option) adapted.size = option.size;
  }
  return adapted;
}

export interface CreateBody {
  model: string;
  input: { prompt: string; negative_prompt?: string; audio_url?: string };
  parameters: {
    resolution?: Resolution;
    ratio?: Ratio;
    size?: string;
    duration?: number;
    shot_type?: ShotType;
    prompt_extend: boolean;
    watermark: boolean;
    seed?: number;
  };
}

/** The create call's body in the shape the task's model takes. */
export function toCreateBody(params: GenerationParams): CreateBody {
  const rules = rulesFor(params.model);
  const shape = rules.shape === 'size'
    ? { size: params.size ?? sizeFor(rules, params.resolution, params.ratio)?.size ?? rules.defaultSize }
    : { resolution: params.resolution, ratio: params.ratio };
  const parameters: CreateBody['parameters'] = {
    ...shape,
    ...(hasFixedDuration(rules) ? {} : { duration: params.duration }),
    ...(params.shotType !== undefined && rules.shotType ? { shot_type: params.shotType } : {}),
    prompt_extend: params.promptExtend,
    watermark: params.watermark,
  };
  const body: CreateBody = { model: params.model, input: { prompt: params.prompt }, parameters };
  if (params.negativePrompt !== undefined) body.input.negative_prompt = params.negativePrompt;
  if (params.audioUrl !== undefined && rules.audio) body.input.audio_url = params.audioUrl;
  if (params.seed !== undefined) body.parameters.seed = params.seed;
  return body;
}
