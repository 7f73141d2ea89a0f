// The parameters of a video, checked against the row of its model (models.ts), in one place for settings, prompt files
// and the create call.
import * as l10n from '@vscode/l10n';
import {
  ANY_MODEL, AUDIO_SETTINGS, DEFAULT_MODEL, describeDurations, findSize, hasFixedDuration, isAllowedDuration, isKnown, MODEL_IDS,
  orList, rulesFor, SHOT_TYPES, sizeFor, type AudioSetting, type MediaType, type ModelRules, type OptionalField, type OutputTier, type Ratio, type ShotType,
} from './models';
import { checkMediaRules, outputDurationProblem } from './mediaRules';

export { DEFAULT_MODEL, type Ratio };
/** The five ratios every model with ratios takes (Wan 3.0 adds `adaptive`). */
export const RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4'] as const;
export type Resolution = OutputTier;
/** The default model's limits (the prompt input box and its messages follow them). */
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
  | 'seed'
  | 'audio'
  | 'audio_setting';

/** What a task sends; a field left out is not sent (the model's row fills in what the extension sends by default). */
export interface GenerationParams {
  model: string;
  prompt: string;
  negativePrompt?: string;
  audioUrl?: string;
  /** What the video will be; for a `size` model, the tier and ratio of its size. */
  resolution?: Resolution;
  ratio?: Ratio;
  /** `WIDTH*HEIGHT`, sent instead of resolution and ratio to the models that take it. */
  size?: string;
  shotType?: ShotType;
  /** Seconds; -1 lets the model choose, 0 is the input's length. */
  duration?: number;
  promptExtend?: boolean;
  watermark?: boolean;
  seed?: number;
  /** Wan 3.0: false makes a video without a soundtrack. */
  audio?: boolean;
  /** wan2.7-videoedit: keep the input's sound (`origin`) or let the model remake it (`auto`). */
  audioSetting?: AudioSetting;
  /** The images, clips, sounds, documents and links the request carries, in the order written. */
  media?: MediaInput[];
}

/** One media input as the user gave it; the transport turns it into the `url` the create body carries. */
export interface MediaInput {
  type: MediaType;
  /** As written: a path relative to the prompt file, a workspace-relative path, or an http(s) URL. */
  source: string;
  /** wan2.7-r2v: a wav/mp3 (1–10 s) the reference's character speaks with, as written. */
  referenceVoice?: string;
}

/** A media item of the create body: an http(s), `oss://` or `data:` URL. */
export interface SentMedia {
  type: MediaType;
  url: string;
  reference_voice?: string;
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
 * Checks one field against the rules of `model` (a name, or a row), normalising what it can: `720p` becomes `720P`.
 * No model: the default model's rules; a name this extension does not know: any value some row allows. A field the
 * model does not take is a problem.
 */
export function checkParam(field: ParamField, value: unknown, model?: string | ModelRules): { value: unknown } | { problem: string } {
  const rules = typeof model === 'object' ? model : rulesFor(model);
  if (value === undefined || value === null) {
    return field === 'prompt' ? { problem: l10n.t('prompt is required: describe the video to make.') } : { value: undefined };
  }
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
      if (length > rules.prompt.max) {
        return { problem: l10n.t('prompt is {0} characters long; at most {1} are allowed (the service cuts the rest).', length, rules.prompt.max) };
      }
      return { value: trimmed };
    }
    case 'negative_prompt':
      return optionalText('negative_prompt', value, rules.negativePromptMax ?? 0);
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
      return oneOf('resolution', rules.resolutions, value);
    case 'ratio':
      return oneOf('ratio', rules.ratios, value);
    case 'size':
      return checkSize(rules, value);
    case 'shot_type':
      return oneOf('shot_type', SHOT_TYPES, value);
    case 'audio_setting':
      return oneOf('audio_setting', AUDIO_SETTINGS, value);
    case 'duration':
      return checkDuration(rules, value);
    case 'prompt_extend':
    case 'watermark':
    case 'audio':
      return flag(field, value);
    case 'seed':
      return checkSeed(value);
  }
}

/** Whether the model takes the field at all (every model takes a duration, though some only their fixed one). */
export function takesField(rules: ModelRules, field: ParamField): boolean {
  switch (field) {
    case 'model':
    case 'prompt':
    case 'duration':
      return true;
    case 'resolution':
      return rules.resolutions.length > 0;
    case 'ratio':
      return rules.ratios.length > 0;
    case 'size':
      return rules.sizes.length > 0;
    default:
      return rules.takes.includes(field);
  }
}

function notTaken(field: ParamField, rules: ModelRules): string {
  const otherModels = (wanted: OptionalField) => orList(MODEL_IDS.filter((id) => rulesFor(id).takes.includes(wanted)));
  switch (field) {
    case 'resolution':
    case 'ratio':
      if (rules.sizes.length > 0) return l10n.t('{0} does not take {1}: it takes size instead, e.g. size: {2}.', rules.id, field, rules.defaults.size ?? '');
      return l10n.t('{0} does not take ratio: the video keeps the aspect of its input.', rules.id);
    case 'size':
      return l10n.t('{0} does not take size: it takes resolution ({1}) and ratio ({2}) instead.', rules.id, rules.resolutions.join(', '), rules.ratios.join(', '));
    case 'shot_type':
      return l10n.t('{0} does not take shot_type; only wan2.6-t2v does.', rules.id);
    case 'audio_url':
      return rules.sound
        ? l10n.t('{0} does not take audio_url; {1} do.', rules.id, otherModels('audio_url'))
        : l10n.t('{0} makes silent videos and takes no audio_url; wan2.7-t2v, wan2.6-t2v and wan2.5-t2v-preview do.', rules.id);
    case 'negative_prompt':
      return l10n.t('{0} does not take negative_prompt: say what to avoid in the prompt itself.', rules.id);
    case 'audio':
    case 'audio_setting':
      return l10n.t('{0} does not take {1}; {2} do.', rules.id, field, otherModels(field));
    default:
      return l10n.t('{0} does not take {1}.', rules.id, field);
  }
}

function checkDuration(rules: ModelRules, value: unknown): Check {
  const rule = rules.durations;
  if (rule.kind === 'range' && !rule.modelChooses && !rule.inputLength) return integer('duration', value, rule.min, rule.max, true);
  if (typeof value === 'string' && isNumberText(value)) return { problem: numberNotString('duration', value) };
  if (typeof value === 'number' && isAllowedDuration(rules, value)) return { value };
  if (rule.kind === 'choices' && hasFixedDuration(rules)) {
    return { problem: l10n.t('{0} always makes {1}-second videos: leave duration out, or write {1}; got {2}.', rules.id, rule.choices[0], JSON.stringify(value)) };
  }
  if (!isKnown(rules)) return { problem: l10n.t('duration must be {0} seconds; got {1}.', describeDurations(rules), JSON.stringify(value)) };
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
  'audio', 'audio_setting',
];

/**
 * Every field checked against the rules of the model it names (the default model's when it names none). What the user
 * left out is filled in from the model's row; a model this extension does not know gets only what the user wrote.
 */
export function validateParams(
  input: Partial<Record<ParamField, unknown>>,
  media: readonly MediaInput[] = [],
): { params: GenerationParams; problems: [] } | { params?: undefined; problems: ParamProblem[] } {
  const problems: ParamProblem[] = [];
  const values: Partial<Record<ParamField, unknown>> = {};
  const modelChecked = checkParam('model', input.model);
  const model = 'value' in modelChecked ? (modelChecked.value as string | undefined) : undefined;
  const rules = rulesFor(model);
  for (const problem of checkMediaRules(rules, media)) problems.push({ field: 'model', message: problem.message });
  for (const field of FIELDS) {
    const checked = checkParam(field, input[field], model);
    if ('problem' in checked) problems.push({ field, message: checked.problem });
    else values[field] = checked.value;
  }
  const tooLong = outputDurationProblem(rules, media, values.duration ?? rules.defaults.duration);
  if (tooLong) problems.push({ field: 'duration', message: tooLong });
  if (problems.length > 0) return { problems };
  const defaults = rules.defaults;
  const params: GenerationParams = { model: model ?? DEFAULT_MODEL, prompt: values.prompt as string };
  const set = <K extends keyof GenerationParams>(key: K, value: unknown) => {
    if (value !== undefined) params[key] = value as GenerationParams[K];
  };
  set('negativePrompt', values.negative_prompt);
  set('audioUrl', values.audio_url);
  set('resolution', values.resolution ?? defaults.resolution);
  set('ratio', values.ratio ?? defaults.ratio);
  set('shotType', values.shot_type);
  set('duration', values.duration ?? defaults.duration);
  set('promptExtend', values.prompt_extend ?? defaults.prompt_extend);
  set('watermark', values.watermark ?? defaults.watermark);
  set('seed', values.seed);
  set('audio', values.audio);
  set('audioSetting', values.audio_setting);
  const option = isKnown(rules) && rules.sizes.length > 0
    ? findSize(rules, (values.size as string | undefined) ?? rules.defaults.size ?? '') ?? rules.sizes[0]
    : undefined;
  if (option) {
    params.size = option.size;
    params.resolution = option.tier;
    params.ratio = option.ratio;
  } else {
    set('size', values.size);
  }
  // As written, without the places a prompt file keeps beside them.
  if (media.length > 0) params.media = media.map(({ type, source, referenceVoice }) => (referenceVoice === undefined ? { type, source } : { type, source, referenceVoice }));
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
    const checked = checkParam(field, value, rules);
    if ('value' in checked && checked.value !== undefined) adapted[field] = checked.value;
  }
  if (isKnown(rules) && rules.sizes.length > 0 && adapted.size === undefined) {
    const option = sizeFor(rules, String(defaults.resolution ?? PARAM_DEFAULTS.resolution), String(defaults.ratio ?? PARAM_DEFAULTS.ratio));
    if (option) adapted.size = option.size;
  }
  return adapted;
}

export interface CreateBody {
  model: string;
  input: { prompt: string; negative_prompt?: string; audio_url?: string; media?: SentMedia[] };
  parameters: {
    resolution?: Resolution;
    ratio?: Ratio;
    size?: string;
    duration?: number;
    shot_type?: ShotType;
    prompt_extend?: boolean;
    watermark?: boolean;
    seed?: number;
    audio?: boolean;
    audio_setting?: AudioSetting;
  };
}

/** The create call's body in the shape the task's model takes: only the fields its row takes, only those set. */
/** `media`: the inputs as the transport sent them (uploaded, inlined or linked), in the order of `params.media`. */
export function toCreateBody(params: GenerationParams, media?: readonly SentMedia[]): CreateBody {
  const rules = rulesFor(params.model);
  const takes = (field: ParamField) => takesField(rules, field);
  const isSizeModel = isKnown(rules) && rules.sizes.length > 0;
  const entries: [keyof CreateBody['parameters'], unknown][] = [
    ['resolution', isSizeModel ? undefined : params.resolution],
    ['ratio', isSizeModel ? undefined : params.ratio],
    ['size', isSizeModel ? params.size ?? sizeFor(rules, params.resolution ?? '', params.ratio ?? '')?.size ?? rules.defaults.size : params.size],
    ['duration', hasFixedDuration(rules) ? undefined : params.duration],
    ['shot_type', params.shotType],
    ['prompt_extend', params.promptExtend],
    ['watermark', params.watermark],
    ['seed', params.seed],
    ['audio', params.audio],
    ['audio_setting', params.audioSetting],
  ];
  const parameters: CreateBody['parameters'] = {};
  for (const [field, value] of entries) {
    if (value !== undefined && takes(field)) (parameters as Record<string, unknown>)[field] = value;
  }
  const body: CreateBody = { model: params.model, input: { prompt: params.prompt }, parameters };
  if (params.negativePrompt !== undefined && takes('negative_prompt')) body.input.negative_prompt = params.negativePrompt;
  if (params.audioUrl !== undefined && takes('audio_url')) body.input.audio_url = params.audioUrl;
  if (media && media.length > 0) body.input.media = [...media];
  return body;
}

/** A known model that takes a seed gets a random one when none is given, so Regenerate can repeat the task exactly. */
export function takesRandomSeed(model: string | undefined): boolean {
  const rules = rulesFor(model);
  return isKnown(rules) && takesField(rules, 'seed');
}

/** The settings' allowed values: what any row allows. */
export function checkSetting(field: ParamField, value: unknown): { value: unknown } | { problem: string } {
  return checkParam(field, value, ANY_MODEL);
}
