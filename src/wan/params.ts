// The rules for wan2.7-t2v parameters, in one place for settings, prompt files and the create call.

export const DEFAULT_MODEL = 'wan2.7-t2v';
export const RESOLUTIONS = ['720P', '1080P'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
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
  | 'duration'
  | 'prompt_extend'
  | 'watermark'
  | 'seed';

export interface GenerationParams {
  model: string;
  prompt: string;
  negativePrompt?: string;
  audioUrl?: string;
  resolution: Resolution;
  ratio: Ratio;
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
    return { problem: `${field} must be one of ${list}, written as text in quotes (e.g. "${allowed[0]}").` };
  }
  const found = allowed.find((option) => option.toLowerCase() === value.trim().toLowerCase());
  return found ? { value: found } : { problem: `${field} "${value}" is not allowed; use one of ${list}.` };
}

function integer(field: string, value: unknown, min: number, max: number, unit: string): Check {
  const range = `a whole number${unit} from ${min} to ${max}`;
  if (typeof value === 'string') {
    return /^\s*-?\d+(\.\d+)?\s*$/.test(value)
      ? { problem: `${field} must be a number, not a string — write ${value.trim()} without quotes.` }
      : { problem: `${field} must be ${range}, not "${value}".` };
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return { problem: `${field} must be ${range}; got ${JSON.stringify(value)}.` };
  }
  return { value };
}

function flag(field: string, value: unknown): Check {
  if (typeof value === 'boolean') return { value };
  if (typeof value === 'string' && /^\s*(true|false)\s*$/i.test(value)) {
    return { problem: `${field} must be true or false, not a string — write ${value.trim().toLowerCase()} without quotes.` };
  }
  return { problem: `${field} must be true or false; got ${JSON.stringify(value)}.` };
}

/** Characters as the service counts them (code points), so an emoji is one, not two. */
function characterCount(text: string): number {
  return Array.from(text).length;
}

function optionalText(field: string, value: unknown, max: number): Check {
  if (typeof value !== 'string') return { problem: `${field} must be text; got ${JSON.stringify(value)}.` };
  const trimmed = value.trim();
  const length = characterCount(trimmed);
  if (length > max) return { problem: `${field} is ${length} characters long; at most ${max} are allowed.` };
  return { value: trimmed === '' ? undefined : trimmed };
}

export function checkParam(field: ParamField, value: unknown): { value: unknown } | { problem: string } {
  if (value === undefined || value === null) {
    return field === 'prompt' ? { problem: 'prompt is required: describe the video to make.' } : { value: undefined };
  }
  switch (field) {
    case 'model': {
      if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value.trim())) {
        return { problem: `model must be a model name such as ${DEFAULT_MODEL}; got ${JSON.stringify(value)}.` };
      }
      return { value: value.trim() };
    }
    case 'prompt': {
      if (typeof value !== 'string') return { problem: `prompt must be text; got ${JSON.stringify(value)}.` };
      const trimmed = value.trim();
      if (trimmed === '') return { problem: 'prompt is empty: describe the video to make.' };
      const length = characterCount(trimmed);
      if (length > LIMITS.promptMax) {
        return { problem: `prompt is ${length} characters long; at most ${LIMITS.promptMax} are allowed (the service cuts the rest).` };
      }
      return { value: trimmed };
    }
    case 'negative_prompt':
      return optionalText('negative_prompt', value, LIMITS.negativePromptMax);
    case 'audio_url': {
      const checked = optionalText('audio_url', value, 2048);
      if ('problem' in checked || checked.value === undefined) return checked;
      const allowed = 'a public http:// or https:// link to a wav or mp3 file (2–30 s, at most 15 MB)';
      try {
        const url = new URL(checked.value as string);
        return url.protocol === 'https:' || url.protocol === 'http:' ? checked : { problem: `audio_url must be ${allowed}.` };
      } catch {
        return { problem: `audio_url is not a URL; it must be ${allowed}.` };
      }
    }
    case 'resolution':
      return oneOf('resolution', RESOLUTIONS, value);
    case 'ratio':
      return oneOf('ratio', RATIOS, value);
    case 'duration':
      return integer('duration', value, LIMITS.durationMin, LIMITS.durationMax, ' of seconds');
    case 'prompt_extend':
      return flag('prompt_extend', value);
    case 'watermark':
      return flag('watermark', value);
    case 'seed':
      return integer('seed', value, 0, LIMITS.seedMax, '');
  }
}

const FIELDS: readonly ParamField[] = ['model', 'prompt', 'negative_prompt', 'audio_url', 'resolution', 'ratio', 'duration', 'prompt_extend', 'watermark', 'seed'];

export function validateParams(
  input: Partial<Record<ParamField, unknown>>,
): { params: GenerationParams; problems: [] } | { params?: undefined; problems: ParamProblem[] } {
  const problems: ParamProblem[] = [];
  const values: Partial<Record<ParamField, unknown>> = {};
  for (const field of FIELDS) {
    const checked = checkParam(field, input[field]);
    if ('problem' in checked) problems.push({ field, message: checked.problem });
    else values[field] = checked.value;
  }
  if (problems.length > 0) return { problems };
  const params: GenerationParams = {
    model: (values.model as string | undefined) ?? DEFAULT_MODEL,
    prompt: values.prompt as string,
    resolution: (values.resolution as Resolution | undefined) ?? PARAM_DEFAULTS.resolution,
    ratio: (values.ratio as Ratio | undefined) ?? PARAM_DEFAULTS.ratio,
    duration: (values.duration as number | undefined) ?? PARAM_DEFAULTS.duration,
    promptExtend: (values.prompt_extend as boolean | undefined) ?? PARAM_DEFAULTS.promptExtend,
    watermark: (values.watermark as boolean | undefined) ?? PARAM_DEFAULTS.watermark,
  };
  if (values.negative_prompt !== undefined) params.negativePrompt = values.negative_prompt as string;
  if (values.audio_url !== undefined) params.audioUrl = values.audio_url as string;
  if (values.seed !== undefined) params.seed = values.seed as number;
  return { params, problems: [] };
}

export interface CreateBody {
  model: string;
  input: { prompt: string; negative_prompt?: string; audio_url?: string };
  parameters: { resolution: Resolution; ratio: Ratio; duration: number; prompt_extend: boolean; watermark: boolean; seed?: number };
}

export function toCreateBody(params: GenerationParams): CreateBody {
  const body: CreateBody = {
    model: params.model,
    input: { prompt: params.prompt },
    parameters: {
      resolution: params.resolution,
      ratio: params.ratio,
      duration: params.duration,
      prompt_extend: params.promptExtend,
      watermark: params.watermark,
    },
  };
  if (params.negativePrompt !== undefined) body.input.negative_prompt = params.negativePrompt;
  if (params.audioUrl !== undefined) body.input.audio_url = params.audioUrl;
  if (params.seed !== undefined) body.parameters.seed = params.seed;
  return body;
}
