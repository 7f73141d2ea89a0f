// The models a prompt may choose, one row each: what it makes, which fields it takes with their values and defaults,
// its media and its prices. Validation, completion, hover, quick fixes, the settings and the create body read this table.
// Sending a field a model does not take fails only after the service accepted (and queued) the task.
import * as l10n from '@vscode/l10n';
import type { Range } from '../media/mediaChecks';

export type OutputTier = '480P' | '720P' | '1080P';
export type SizeRatio = '16:9' | '9:16' | '1:1' | '4:3' | '3:4';
/** `adaptive`: Wan 3.0 picks the aspect (that of the input, when there is one). */
export type Ratio = SizeRatio | 'adaptive';
export const SHOT_TYPES = ['single', 'multi'] as const;
export type ShotType = (typeof SHOT_TYPES)[number];
export const AUDIO_SETTINGS = ['auto', 'origin'] as const;
export type AudioSetting = (typeof AUDIO_SETTINGS)[number];

/** A `WIDTH*HEIGHT` value of the older models' `size` parameter. */
export interface SizeOption {
  size: string;
  tier: OutputTier;
  ratio: SizeRatio;
}

/** `-1`: the model chooses the length; `0`: the length of the input video. */
export const MODEL_CHOOSES = -1;
export const INPUT_LENGTH = 0;

export type DurationRule =
  | { kind: 'range'; min: number; max: number; modelChooses?: true; inputLength?: true }
  | { kind: 'choices'; choices: readonly number[] };

export type Makes = 'text' | 'frames' | 'references' | 'edit';

export type MediaType =
  | 'first_frame' | 'last_frame' | 'first_clip' | 'driving_audio'
  | 'reference_image' | 'reference_video' | 'reference_audio' | 'file' | 'link' | 'video';

/** How many of one media type a request may carry. */
export interface MediaCount {
  type: MediaType;
  min?: number;
  max: number;
}

/** The `media` a model takes; the limits every image, clip and sound shares are in mediaRules.ts. */
export interface MediaRules {
  /** One of these must be present; absent: media are optional. */
  required?: readonly MediaType[];
  counts: readonly MediaCount[];
  /** Types counted together, such as r2v's 1–5 references. */
  together?: { types: readonly MediaType[]; min: number; max: number };
  /** Each entry lists groups that cannot be mixed in one request (accepted at create, then the task FAILS). */
  exclusive?: readonly (readonly (readonly MediaType[])[])[];
  /** How long each clip or sound of a type may be, in seconds (read from the file's header); absent where no source says. */
  seconds?: Partial<Record<MediaType | 'reference_voice', Range>>;
  /** How long the clips or sounds of a type may be together. */
  totalSeconds?: Partial<Record<MediaType, number>>;
  /** The types whose items may carry a `reference_voice` (a wav/mp3 the character speaks with). */
  voice?: readonly MediaType[];
  /** The longest video it makes while a request carries any of these types (r2v: 10 s with a reference video). */
  outputMaxWith?: { types: readonly MediaType[]; max: number };
  /** The most seconds the clips of these types and the video it makes may last together (Wan 3.0: 30 s). */
  inputPlusOutputMax?: { types: readonly MediaType[]; max: number };
}

/** The price per second of video, per tier; undefined where no source gives one. */
export interface PriceTier {
  currency: 'CNY' | 'USD';
  perSecond: Partial<Record<OutputTier, number>>;
  source: string;
  date: string;
  /** Derived, not published. */
  estimate?: true;
}

export interface ModelPrices {
  /** Alibaba Cloud Model Studio (Beijing), CNY. */
  official?: PriceTier;
  /** APIYI, USD. */
  apiyi?: PriceTier;
  /** videoedit bills the input's seconds too. */
  billedOn?: 'output' | 'input-and-output';
}

/** The optional fields beyond prompt, resolution, ratio, size and duration, which rows list when they take them. */
export type OptionalField = 'negative_prompt' | 'audio_url' | 'shot_type' | 'audio' | 'audio_setting' | 'prompt_extend' | 'watermark' | 'seed';

export interface ModelRules {
  id: string;
  /** One line for completion, hover and the `wan.model` setting. */
  summary: () => string;
  makes: readonly Makes[];
  prompt: { max: number; required: boolean };
  negativePromptMax?: number;
  /** The optional fields it takes. */
  takes: readonly OptionalField[];
  /** Taken as `resolution`; empty for a `size` model. */
  resolutions: readonly OutputTier[];
  /** Taken as `ratio`; empty for a `size` model and for one whose aspect follows its input. */
  ratios: readonly Ratio[];
  /** Taken as `size` (`WIDTH*HEIGHT`) by the models before 2.7. */
  sizes: readonly SizeOption[];
  durations: DurationRule;
  /** What the extension sends when neither the prompt nor the settings say; a field not here is sent only when written. */
  defaults: { resolution?: OutputTier; ratio?: Ratio; size?: string; duration?: number; prompt_extend?: boolean; watermark?: boolean };
  /** What the service does when a field is absent, for hover. */
  serviceDefaults: { resolution?: OutputTier; ratio?: Ratio; duration: number };
  /** The video has a soundtrack. */
  sound: boolean;
  media?: MediaRules;
  prices: ModelPrices;
}

const size = (value: string, tier: OutputTier, ratio: SizeRatio): SizeOption => ({ size: value, tier, ratio });

const SIZES_480P = [size('832*480', '480P', '16:9'), size('480*832', '480P', '9:16'), size('624*624', '480P', '1:1')];
const SIZES_720P = [
  size('1280*720', '720P', '16:9'), size('720*1280', '720P', '9:16'), size('960*960', '720P', '1:1'),
  size('1088*832', '720P', '4:3'), size('832*1088', '720P', '3:4'),
];
const SIZES_1080P = [
  size('1920*1080', '1080P', '16:9'), size('1080*1920', '1080P', '9:16'), size('1440*1440', '1080P', '1:1'),
  size('1632*1248', '1080P', '4:3'), size('1248*1632', '1080P', '3:4'),
];
const FIVE_RATIOS: readonly SizeRatio[] = ['16:9', '9:16', '1:1', '4:3', '3:4'];
const PRICES_SEEN = '2026-12-01';
const OFFICIAL = 'Alibaba Cloud Model Studio price list (Beijing)';
const APIYI = 'APIYI model pages';
const PRICES_27: ModelPrices = {
  official: { currency: 'CNY', perSecond: { '720P': 0.6, '1080P': 1.0 }, source: OFFICIAL, date: PRICES_SEEN },
  apiyi: { currency: 'USD', perSecond: { '720P': 0.084, '1080P': 0.14 }, source: APIYI, date: PRICES_SEEN },
};
const TEXT_TO_VIDEO_27: readonly OptionalField[] = ['negative_prompt', 'prompt_extend', 'watermark', 'seed'];
const OLDER_DEFAULTS = { duration: 5, prompt_extend: true, watermark: false };

const WAN30: Omit<ModelRules, 'id' | 'summary' | 'prices'> = {
  makes: ['text', 'frames', 'references', 'edit'],
  prompt: { max: 20000, required: true },
  takes: ['audio', 'prompt_extend', 'watermark', 'seed'],
  resolutions: ['480P', '720P', '1080P'],
  ratios: ['adaptive', ...FIVE_RATIOS],
  sizes: [],
  durations: { kind: 'range', min: 2, max: 30, modelChooses: true },
  // Nothing filled in: a prompt file sends what it says and the service applies its own defaults.
  defaults: {},
  serviceDefaults: { resolution: '1080P', ratio: 'adaptive', duration: 5 },
  sound: true,
  media: {
    counts: [
      { type: 'first_frame', max: 1 }, { type: 'last_frame', max: 1 }, { type: 'reference_image', max: 10 },
      { type: 'reference_video', max: 5 }, { type: 'reference_audio', max: 5 }, { type: 'file', max: 1 }, { type: 'link', max: 1 },
    ],
    exclusive: [
      [['first_frame', 'last_frame'], ['reference_image', 'reference_video', 'reference_audio', 'file', 'link']],
      [['file'], ['link']],
    ],
    // Each sound's own length is not documented, only the total.
    seconds: { reference_video: { min: 1, max: 15 } },
    totalSeconds: { reference_video: 15, reference_audio: 15 },
    inputPlusOutputMax: { types: ['reference_video'], max: 30 },
  },
};

const WAN27: Omit<ModelRules, 'id' | 'summary' | 'makes' | 'prompt' | 'takes' | 'ratios' | 'durations' | 'defaults' | 'serviceDefaults'> = {
  negativePromptMax: 500,
  resolutions: ['720P', '1080P'],
  sizes: [],
  sound: true,
  prices: PRICES_27,
};

export const MODELS: readonly ModelRules[] = [
  {
    ...WAN30,
    id: 'wan3.0-video',
    summary: () => l10n.t('Wan 3.0: text, frames, references or a clip to edit, 480P to 1080P, adaptive or five ratios, 2–30 s or the model chooses, with sound'),
    prices: {
      official: { currency: 'CNY', perSecond: { '480P': 0.21, '720P': 0.42, '1080P': 0.84 }, source: 'derived from APIYI\'s "98 % of official"', date: PRICES_SEEN, estimate: true },
      apiyi: { currency: 'USD', perSecond: { '720P': 0.0588, '1080P': 0.1176 }, source: APIYI, date: PRICES_SEEN },
    },
  },
  {
    ...WAN30,
    id: 'wan3.0-video-prime',
    summary: () => l10n.t('Wan 3.0 prime: as Wan 3.0, faster'),
    prices: {
      official: { currency: 'CNY', perSecond: { '720P': 0.9 }, source: 'derived from APIYI\'s "98 % of official"', date: PRICES_SEEN, estimate: true },
      apiyi: { currency: 'USD', perSecond: { '720P': 0.126 }, source: APIYI, date: PRICES_SEEN },
    },
  },
  {
    ...WAN27,
    id: 'wan2.7-t2v',
    summary: () => l10n.t('Wan 2.7: 720P or 1080P in five ratios, 2–15 s, with sound (or your audio_url)'),
    makes: ['text'],
    prompt: { max: 5000, required: true },
    takes: ['audio_url', ...TEXT_TO_VIDEO_27],
    ratios: FIVE_RATIOS,
    durations: { kind: 'range', min: 2, max: 15 },
    defaults: { resolution: '720P', ratio: '16:9', duration: 5, prompt_extend: true, watermark: false },
    serviceDefaults: { resolution: '1080P', ratio: '16:9', duration: 5 },
  },
  {
    ...WAN27,
    id: 'wan2.7-i2v',
    summary: () => l10n.t('Wan 2.7 image to video: a first frame (and last frame) or a clip to continue; needs media'),
    makes: ['frames'],
    prompt: { max: 5000, required: false },
    takes: TEXT_TO_VIDEO_27,
    ratios: [],
    durations: { kind: 'range', min: 2, max: 15 },
    defaults: { resolution: '720P', duration: 5, prompt_extend: true, watermark: false },
    serviceDefaults: { resolution: '1080P', duration: 5 },
    media: {
      required: ['first_frame', 'first_clip'],
      counts: [{ type: 'first_frame', max: 1 }, { type: 'last_frame', max: 1 }, { type: 'driving_audio', max: 1 }, { type: 'first_clip', max: 1 }],
      // The stored sources give no length for first_clip or driving_audio; the service says when one is too long.
    },
  },
  {
    ...WAN27,
    id: 'wan2.7-r2v',
    summary: () => l10n.t('Wan 2.7 reference to video: keeps the people and things of 1–5 reference images or videos; needs media'),
    makes: ['references'],
    prompt: { max: 5000, required: true },
    takes: TEXT_TO_VIDEO_27,
    ratios: FIVE_RATIOS,
    durations: { kind: 'range', min: 2, max: 15 },
    defaults: { resolution: '720P', ratio: '16:9', duration: 5, prompt_extend: true, watermark: false },
    serviceDefaults: { resolution: '1080P', ratio: '16:9', duration: 5 },
    media: {
      required: ['reference_image', 'reference_video'],
      counts: [{ type: 'reference_image', max: 5 }, { type: 'reference_video', max: 5 }, { type: 'first_frame', max: 1 }],
      together: { types: ['reference_image', 'reference_video'], min: 1, max: 5 },
      seconds: { reference_voice: { min: 1, max: 10 } },
      voice: ['reference_image', 'reference_video'],
      outputMaxWith: { types: ['reference_video'], max: 10 },
    },
  },
  {
    ...WAN27,
    id: 'wan2.7-videoedit',
    summary: () => l10n.t('Wan 2.7 video edit: restyles one video by instruction, keeping or remaking its sound; needs media'),
    makes: ['edit'],
    prompt: { max: 5000, required: false },
    takes: ['audio_setting', ...TEXT_TO_VIDEO_27],
    // Absent: the input's aspect.
    ratios: FIVE_RATIOS,
    durations: { kind: 'range', min: 2, max: 10, inputLength: true },
    defaults: { resolution: '720P', prompt_extend: true, watermark: false },
    serviceDefaults: { resolution: '1080P', duration: INPUT_LENGTH },
    media: {
      required: ['video'],
      // APIYI says 1–5 reference images; Alibaba says up to 4.
      counts: [{ type: 'video', min: 1, max: 1 }, { type: 'reference_image', max: 4 }],
      seconds: { video: { min: 2, max: 10 } },
    },
    prices: { ...PRICES_27, billedOn: 'input-and-output' },
  },
  {
    id: 'wan2.6-t2v',
    summary: () => l10n.t('Wan 2.6: size at 720P or 1080P, 5, 10 or 15 s, single or multi-shot, with sound'),
    makes: ['text'],
    prompt: { max: 5000, required: true },
    negativePromptMax: 500,
    takes: ['audio_url', 'shot_type', ...TEXT_TO_VIDEO_27],
    resolutions: [],
    ratios: [],
    sizes: [...SIZES_720P, ...SIZES_1080P],
    // Uncertain: some newer pages say any whole number from 2 to 15; the stricter rule cannot fail after acceptance.
    durations: { kind: 'choices', choices: [5, 10, 15] },
    defaults: { ...OLDER_DEFAULTS, size: '1920*1080' },
    serviceDefaults: { duration: 5 },
    sound: true,
    prices: {},
  },
  {
    id: 'wan2.5-t2v-preview',
    summary: () => l10n.t('Wan 2.5 preview: size at 480P, 720P or 1080P, 5 or 10 s, with sound'),
    makes: ['text'],
    prompt: { max: 5000, required: true },
    negativePromptMax: 500,
    takes: ['audio_url', ...TEXT_TO_VIDEO_27],
    resolutions: [],
    ratios: [],
    sizes: [...SIZES_480P, ...SIZES_720P, ...SIZES_1080P],
    durations: { kind: 'choices', choices: [5, 10] },
    defaults: { ...OLDER_DEFAULTS, size: '1920*1080' },
    serviceDefaults: { duration: 5 },
    sound: true,
    prices: {},
  },
  {
    id: 'wan2.2-t2v-plus',
    summary: () => l10n.t('Wan 2.2 plus: size at 480P or 1080P, always 5 s, silent'),
    makes: ['text'],
    prompt: { max: 5000, required: true },
    negativePromptMax: 500,
    takes: TEXT_TO_VIDEO_27,
    resolutions: [],
    ratios: [],
    sizes: [...SIZES_480P, ...SIZES_1080P],
    durations: { kind: 'choices', choices: [5] },
    defaults: { ...OLDER_DEFAULTS, size: '1920*1080' },
    serviceDefaults: { duration: 5 },
    sound: false,
    prices: {},
  },
  {
    id: 'wanx2.1-t2v-turbo',
    summary: () => l10n.t('Wan 2.1 turbo: size at 480P or 720P, always 5 s, silent'),
    makes: ['text'],
    prompt: { max: 5000, required: true },
    negativePromptMax: 500,
    takes: TEXT_TO_VIDEO_27,
    resolutions: [],
    ratios: [],
    sizes: [...SIZES_480P, ...SIZES_720P],
    durations: { kind: 'choices', choices: [5] },
    defaults: { ...OLDER_DEFAULTS, size: '1280*720' },
    serviceDefaults: { duration: 5 },
    sound: false,
    prices: {},
  },
  {
    id: 'wanx2.1-t2v-plus',
    summary: () => l10n.t('Wan 2.1 plus: size at 720P, always 5 s, silent'),
    makes: ['text'],
    prompt: { max: 5000, required: true },
    negativePromptMax: 500,
    takes: TEXT_TO_VIDEO_27,
    resolutions: [],
    ratios: [],
    sizes: SIZES_720P,
    durations: { kind: 'choices', choices: [5] },
    defaults: { ...OLDER_DEFAULTS, size: '1280*720' },
    serviceDefaults: { duration: 5 },
    sound: false,
    prices: {},
  },
];

export const MODEL_IDS: readonly string[] = MODELS.map((model) => model.id);

const SNAPSHOT = /-\d{4}-\d{2}-\d{2}$/;

/**
 * The row of a model name, ignoring case and spaces around it; a dated snapshot (`wan2.7-t2v-2026-04-25`) follows its
 * base row unless it has one of its own. Undefined for a name this extension does not know.
 */
export function findModel(name: string | undefined, models: readonly ModelRules[] = MODELS): ModelRules | undefined {
  const wanted = name?.trim().toLowerCase();
  if (!wanted) return undefined;
  return models.find((model) => model.id === wanted) ?? models.find((model) => model.id === wanted.replace(SNAPSHOT, ''));
}

/** Every value any row allows, and no defaults: the rules for a model this extension does not know, and for the settings. */
function anyModel(models: readonly ModelRules[]): ModelRules {
  const union = <T>(pick: (model: ModelRules) => readonly T[]): T[] => [...new Set(models.flatMap(pick))];
  const ranges = models.flatMap((model) => (model.durations.kind === 'range' ? [model.durations] : []));
  return {
    id: '',
    summary: () => '',
    makes: union((model) => model.makes),
    prompt: { max: Math.max(...models.map((model) => model.prompt.max)), required: true },
    negativePromptMax: Math.max(...models.map((model) => model.negativePromptMax ?? 0)),
    takes: union((model) => model.takes),
    resolutions: union((model) => [...model.resolutions, ...model.sizes.map((option) => option.tier)]),
    ratios: union((model) => model.ratios),
    sizes: union((model) => model.sizes),
    durations: {
      kind: 'range',
      min: Math.min(...ranges.map((rule) => rule.min)),
      max: Math.max(...ranges.map((rule) => rule.max)),
      modelChooses: true,
      inputLength: true,
    },
    defaults: {},
    serviceDefaults: { duration: 5 },
    sound: true,
    prices: {},
  };
}

/** The rules of a model this extension does not know (the service may have a newer one): any value some row allows. */
export const ANY_MODEL: ModelRules = anyModel(MODELS);

export const DEFAULT_MODEL = 'wan2.7-t2v';

/** The rules to check against: the default model's when none is named, ANY_MODEL's for a name this extension does not know. */
export function rulesFor(name: string | undefined): ModelRules {
  if (!name?.trim()) return findModel(DEFAULT_MODEL)!;
  return findModel(name) ?? ANY_MODEL;
}

export function isKnown(rules: ModelRules): boolean {
  return rules !== ANY_MODEL;
}

/** Fixed at one length: the duration is not sent. */
export function hasFixedDuration(rules: ModelRules): boolean {
  return rules.durations.kind === 'choices' && rules.durations.choices.length === 1;
}

/** The lengths to offer, the special ones (-1, 0) last. */
export function allowedDurations(rules: ModelRules): number[] {
  const rule = rules.durations;
  if (rule.kind === 'choices') return [...rule.choices];
  const range = Array.from({ length: rule.max - rule.min + 1 }, (_, i) => rule.min + i);
  return [...range, ...(rule.modelChooses ? [MODEL_CHOOSES] : []), ...(rule.inputLength ? [INPUT_LENGTH] : [])];
}

export function isAllowedDuration(rules: ModelRules, seconds: number): boolean {
  return allowedDurations(rules).includes(seconds);
}

/** What -1 and 0 mean; undefined for an ordinary length. */
export function specialDuration(seconds: number): string | undefined {
  if (seconds === MODEL_CHOOSES) return l10n.t('the model chooses');
  if (seconds === INPUT_LENGTH) return l10n.t('the input\'s length');
  return undefined;
}

/** "2–15", "2–30 or -1 (the model chooses)", "5 or 10", "5, 10 or 15", "5". */
export function describeDurations(rules: ModelRules): string {
  const rule = rules.durations;
  if (rule.kind === 'choices') return orList(rule.choices.map(String));
  const specials = allowedDurations(rules).filter((n) => n < rule.min).map((n) => `${n} (${specialDuration(n)})`);
  return orList([`${rule.min}–${rule.max}`, ...specials]);
}

/** The allowed length closest to `seconds`; the shorter one on a tie; never a special one. */
export function nearestDuration(rules: ModelRules, seconds: number): number {
  return allowedDurations(rules).filter((n) => specialDuration(n) === undefined).reduce((best, candidate) =>
    Math.abs(candidate - seconds) < Math.abs(best - seconds) ? candidate : best);
}

export function findSize(rules: ModelRules, value: string): SizeOption | undefined {
  return rules.sizes.find((option) => option.size === value);
}

/** The size a `size` model makes for a tier and ratio (the settings' resolution and ratio), if it has one. */
export function sizeFor(rules: ModelRules, tier: string, ratio: string): SizeOption | undefined {
  return rules.sizes.find((option) => option.tier === tier && option.ratio === ratio);
}

export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return l10n.t('{0} or {1}', items.slice(0, -1).join(', '), items[items.length - 1]);
}
