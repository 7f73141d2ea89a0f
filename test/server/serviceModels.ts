// What each Wan model takes, as the real service checks a create body (from wan-models.md and wan-api.md): the test
// server's own table, written apart from src/wan/models.ts so that a mistake there shows here as a refused or failed task.
// A new model is a row in MODELS.

/** A value's rule: one of these strings; a whole number in `range` or among `values`; a boolean; text up to `maxLength`. */
type Rule = readonly string[] | { range?: readonly [number, number]; values?: readonly number[] } | 'boolean' | { maxLength: number };

export interface ServiceModel {
  id: string;
  /** `or-media`: a prompt or media (Wan 3.0). Longer than `max` is cut or refused, as each model's docs say. */
  prompt: { required: boolean | 'or-media'; max?: number; longer?: 'cut' | 'refuse' };
  /** The `input` fields it takes besides `prompt` and `media`. */
  input: Record<string, Rule>;
  media?: {
    required: boolean;
    types: readonly string[];
    /** Groups of types that may not meet in one body: accepted at create, then the task fails. */
    exclusive?: readonly [readonly string[], readonly string[]];
    /** The longest duration when `media` holds this type (wan2.7-r2v with a reference video). */
    durationMaxWith?: { type: string; max: number };
  };
  parameters: Record<string, Rule>;
  /** Wan 3.0 writes `usage.duration` as a float and adds `usage.fps`. */
  usageFps?: number;
}

/** A create the service refuses at once. */
export interface Refusal {
  status: 400 | 404;
  code: string;
  message: string;
}

/** A create the service takes: the prompt it keeps (cut where the docs say), and why the task will fail, if it will. */
export interface Acceptance {
  model: ServiceModel;
  prompt: string;
  failure?: string;
}

const RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4'];
const PROMPT_EXTEND_WATERMARK_SEED: Record<string, Rule> = { prompt_extend: 'boolean', watermark: 'boolean', seed: { range: [0, 2147483647] } };
const NEGATIVE_PROMPT: Rule = { maxLength: 500 };
const TEXT: Rule = { maxLength: Infinity };
const SIZES_480P = ['832*480', '480*832', '624*624'];
const SIZES_720P = ['1280*720', '720*1280', '960*960', '1088*832', '832*1088'];
const SIZES_1080P = ['1920*1080', '1080*1920', '1440*1440', '1632*1248', '1248*1632'];

// Uncertain: the docs of Wan 3.0 and of the 2.7 media models do not list prompt_extend, watermark and seed; the server
// takes them (as every other model does) rather than fail a task the real service may well run.
const wan30 = (id: string): ServiceModel => ({
  id,
  prompt: { required: 'or-media', max: 20_000, longer: 'cut' },
  input: {},
  media: {
    required: false,
    types: ['first_frame', 'last_frame', 'reference_image', 'reference_video', 'reference_audio', 'file', 'link'],
    exclusive: [['first_frame', 'last_frame'], ['reference_image', 'reference_video', 'reference_audio', 'file', 'link']],
  },
  parameters: { resolution: ['480P', '720P', '1080P'], ratio: ['adaptive', ...RATIOS], duration: { range: [2, 30], values: [-1] }, audio: 'boolean', ...PROMPT_EXTEND_WATERMARK_SEED },
  usageFps: 30,
});

/** The models before 2.7 name their output by `size`; the docs give them no prompt limit here. */
const sizeModel = (id: string, sizes: readonly string[], durations: readonly number[], extra: { audio?: boolean; shotType?: boolean } = {}): ServiceModel => ({
  id,
  prompt: { required: true },
  input: { negative_prompt: NEGATIVE_PROMPT, ...(extra.audio ? { audio_url: TEXT } : {}) },
  parameters: { size: sizes, duration: { values: durations }, ...(extra.shotType ? { shot_type: ['single', 'multi'] } : {}), ...PROMPT_EXTEND_WATERMARK_SEED },
});

export const MODELS: readonly ServiceModel[] = [
  wan30('wan3.0-video'),
  wan30('wan3.0-video-prime'),
  {
    id: 'wan2.7-t2v',
    prompt: { required: true, max: 5000, longer: 'cut' },
    input: { negative_prompt: NEGATIVE_PROMPT, audio_url: TEXT },
    parameters: { resolution: ['720P', '1080P'], ratio: RATIOS, duration: { range: [2, 15] }, ...PROMPT_EXTEND_WATERMARK_SEED },
  },
  {
    id: 'wan2.7-i2v',
    prompt: { required: false, max: 5000, longer: 'refuse' },
    input: { negative_prompt: NEGATIVE_PROMPT },
    media: { required: true, types: ['first_frame', 'last_frame', 'driving_audio', 'first_clip'] },
    // No ratio: the output follows the input's aspect.
    parameters: { resolution: ['720P', '1080P'], duration: { range: [2, 15] }, ...PROMPT_EXTEND_WATERMARK_SEED },
  },
  {
    id: 'wan2.7-r2v',
    prompt: { required: true, max: 5000, longer: 'refuse' },
    input: { negative_prompt: NEGATIVE_PROMPT },
    media: { required: true, types: ['reference_image', 'reference_video', 'first_frame'], durationMaxWith: { type: 'reference_video', max: 10 } },
    parameters: { resolution: ['720P', '1080P'], ratio: RATIOS, duration: { range: [2, 15] }, ...PROMPT_EXTEND_WATERMARK_SEED },
  },
  {
    id: 'wan2.7-videoedit',
    prompt: { required: false, max: 5000, longer: 'refuse' },
    input: { negative_prompt: NEGATIVE_PROMPT },
    media: { required: true, types: ['video', 'reference_image'] },
    // duration 0: as long as the input video.
    parameters: { resolution: ['720P', '1080P'], ratio: RATIOS, duration: { range: [2, 10], values: [0] }, audio_setting: ['auto', 'origin'], ...PROMPT_EXTEND_WATERMARK_SEED },
  },
  // Uncertain: some newer pages give wan2.6 any whole number from 2 to 15; the stored facts say 5, 10 or 15.
  sizeModel('wan2.6-t2v', [...SIZES_720P, ...SIZES_1080P], [5, 10, 15], { audio: true, shotType: true }),
  sizeModel('wan2.5-t2v-preview', [...SIZES_480P, ...SIZES_720P, ...SIZES_1080P], [5, 10], { audio: true }),
  sizeModel('wan2.2-t2v-plus', [...SIZES_480P, ...SIZES_1080P], [5]),
  sizeModel('wanx2.1-t2v-turbo', [...SIZES_480P, ...SIZES_720P], [5]),
  sizeModel('wanx2.1-t2v-plus', SIZES_720P, [5]),
];

type Json = Record<string, unknown>;

export function asRecord(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

/** The row of a model id or of its dated snapshot (`wan2.7-t2v-2026-04-25`). */
export function serviceModel(id: string): ServiceModel | undefined {
  const base = id.replace(/-\d{4}-\d{2}-\d{2}$/, '');
  return MODELS.find((model) => model.id === id || model.id === base);
}

/** Array.isArray does not narrow a readonly array. */
const isChoices = (rule: Rule): rule is readonly string[] => Array.isArray(rule);

/** Why `value` breaks `rule`, naming `field`; undefined when it keeps it. */
function ruleProblem(field: string, rule: Rule, value: unknown): string | undefined {
  if (rule === 'boolean') return typeof value === 'boolean' ? undefined : `${field} must be a boolean: ${JSON.stringify(value)}.`;
  if (isChoices(rule)) {
    return typeof value === 'string' && rule.includes(value) ? undefined : `${field} must be one of ${rule.join(', ')}: ${JSON.stringify(value)}.`;
  }
  if ('maxLength' in rule) {
    if (typeof value !== 'string') return `${field} must be a string: ${JSON.stringify(value)}.`;
    return value.length <= rule.maxLength ? undefined : `${field} must be at most ${rule.maxLength} characters long (it has ${value.length}).`;
  }
  const whole = typeof value === 'number' && Number.isInteger(value);
  const inRange = whole && rule.range !== undefined && value >= rule.range[0] && value <= rule.range[1];
  if (inRange || (whole && rule.values?.includes(value))) return undefined;
  const allowed = [rule.range && `${rule.range[0]} to ${rule.range[1]}`, ...(rule.values ?? [])].filter((part) => part !== undefined).join(' or ');
  return `${field} must be an integer, ${allowed}: ${JSON.stringify(value)}.`;
}

/** Public links and temporary `oss://` URLs for every type; a Base64 data URI only for an image (JPEG, PNG, BMP, WEBP). */
function mediaUrlRecognised(type: string, url: string): boolean {
  if (/^(https?|oss):\/\/./i.test(url)) return true;
  return ['first_frame', 'last_frame', 'reference_image'].includes(type) && /^data:image\/(jpeg|png|bmp|webp);base64,./.test(url);
}

/** How the service answers a create body: refused (400 or 404), or accepted, perhaps to fail once it runs. */
export function judgeCreate(body: unknown): Refusal | Acceptance {
  const invalid = (message: string): Refusal => ({ status: 400, code: 'InvalidParameter', message });
  const record = asRecord(body);
  if (!record) return invalid('The request body is not a JSON object.');
  if (typeof record.model !== 'string' || record.model === '') return invalid('Model not specified.');
  const model = serviceModel(record.model);
  if (!model) return { status: 404, code: 'ModelNotFound', message: 'Model not exist.' };
  const input = record.input === undefined ? {} : asRecord(record.input);
  const parameters = record.parameters === undefined ? {} : asRecord(record.parameters);
  if (!input) return invalid('input must be an object.');
  if (!parameters) return invalid('parameters must be an object.');
  // Fields the model does not take pass the create; the task then fails (the first one names the failure).
  const foreign: string[] = [];

  const { prompt, media } = input;
  if (prompt !== undefined && typeof prompt !== 'string') return invalid(`input.prompt must be a string: ${JSON.stringify(prompt)}.`);
  const hasPrompt = typeof prompt === 'string' && prompt.trim() !== '';
  const hasMedia = Array.isArray(media) && media.length > 0;
  if (model.prompt.required === true && !hasPrompt) return invalid('Field required: input.prompt');
  if (model.prompt.required === 'or-media' && !hasPrompt && !hasMedia) return invalid('Field required: input.prompt or input.media');
  const max = model.prompt.max ?? Infinity;
  if (hasPrompt && prompt.length > max && model.prompt.longer === 'refuse') {
    return invalid(`input.prompt must be at most ${max} characters long (it has ${prompt.length}).`);
  }

  for (const [name, value] of Object.entries(input)) {
    if (name === 'prompt' || name === 'media' || value === undefined) continue;
    const rule = model.input[name];
    if (!rule) foreign.push(`input.${name}`);
    else {
      const problem = ruleProblem(`input.${name}`, rule, value);
      if (problem) return invalid(problem);
    }
  }

  const types: string[] = [];
  if (media !== undefined && !model.media) foreign.push('input.media');
  else if (model.media) {
    if (media !== undefined && !Array.isArray(media)) return invalid('input.media must be an array of {type, url}.');
    if (model.media.required && !hasMedia) return invalid(`Field required: input.media (${model.id} makes its video from media).`);
    for (const [i, item] of ((media ?? []) as unknown[]).entries()) {
      const { type, url } = asRecord(item) ?? {};
      if (typeof type !== 'string' || !model.media.types.includes(type)) {
        return invalid(`input.media[${i}].type must be one of ${model.media.types.join(', ')}: ${JSON.stringify(type)}.`);
      }
      if (typeof url !== 'string' || url === '') return invalid(`input.media[${i}].url must be a URL: ${JSON.stringify(url)}.`);
      if (!mediaUrlRecognised(type, url)) {
        return invalid(`input.media[${i}].url must be an http(s) or oss:// URL, or for an image a data:image/…;base64 URI: ${JSON.stringify(url.slice(0, 60))}.`);
      }
      types.push(type);
    }
  }

  for (const [name, value] of Object.entries(parameters)) {
    if (value === undefined) continue;
    const rule = model.parameters[name];
    if (!rule) foreign.push(`parameters.${name}`);
    else {
      const problem = ruleProblem(`parameters.${name}`, rule, value);
      if (problem) return invalid(problem);
    }
  }
  const limit = model.media?.durationMaxWith;
  if (limit && types.includes(limit.type) && typeof parameters.duration === 'number' && parameters.duration > limit.max) {
    return invalid(`parameters.duration must be at most ${limit.max} with a ${limit.type}: ${parameters.duration}.`);
  }

  let failure: string | undefined;
  const groups = model.media?.exclusive;
  if (groups && groups.every((group) => types.some((type) => group.includes(type)))) {
    failure = `The two modes are mutually exclusive: ${groups[0].join('/')} (frames) and ${groups[1].join('/')} (references) in input.media.`;
  }
  if (foreign.length > 0) failure = `${foreign[0]} is not supported by model ${model.id}.`;
  return { model, prompt: hasPrompt ? prompt.slice(0, max) : '', failure };
}
