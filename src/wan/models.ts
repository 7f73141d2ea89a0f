// The text-to-video models a prompt may choose, and what each one takes: the rules follow the model.
// Sending a field a model does not take fails only after the service accepted (and queued) the task.
import * as l10n from '@vscode/l10n';

export type OutputTier = '480P' | '720P' | '1080P';
export type SizeRatio = '16:9' | '9:16' | '1:1' | '4:3' | '3:4';
export const SHOT_TYPES = ['single', 'multi'] as const;
export type ShotType = (typeof SHOT_TYPES)[number];

/** A `WIDTH*HEIGHT` value of the older models' `size` parameter. */
export interface SizeOption {
  size: string;
  tier: OutputTier;
  ratio: SizeRatio;
}

export type DurationRule =
  | { kind: 'range'; min: number; max: number }
  | { kind: 'choices'; choices: readonly number[] };

export interface ModelRules {
  id: string;
  /** `resolution` + `ratio` (wan2.7) or one `size` (older models). */
  shape: 'resolution-ratio' | 'size';
  /** For `size` models: the sizes it accepts. */
  sizes: readonly SizeOption[];
  defaultSize?: string;
  durations: DurationRule;
  defaultDuration: number;
  /** Takes `audio_url` (the others make silent videos). */
  audio: boolean;
  /** Takes `shot_type`. */
  shotType: boolean;
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

export const T2V_MODELS: readonly ModelRules[] = [
  {
    id: 'wan2.7-t2v',
    shape: 'resolution-ratio',
    sizes: [],
    durations: { kind: 'range', min: 2, max: 15 },
    defaultDuration: 5,
    audio: true,
    shotType: false,
  },
  {
    id: 'wan2.6-t2v',
    shape: 'size',
    sizes: [...SIZES_720P, ...SIZES_1080P],
    defaultSize: '1920*1080',
    // Uncertain: some newer pages say any whole number from 2 to 15; the stricter rule cannot fail after acceptance.
    durations: { kind: 'choices', choices: [5, 10, 15] },
    defaultDuration: 5,
    audio: true,
    shotType: true,
  },
  {
    id: 'wan2.5-t2v-preview',
    shape: 'size',
    sizes: [...SIZES_480P, ...SIZES_720P, ...SIZES_1080P],
    defaultSize: '1920*1080',
    durations: { kind: 'choices', choices: [5, 10] },
    defaultDuration: 5,
    audio: true,
    shotType: false,
  },
  {
    id: 'wan2.2-t2v-plus',
    shape: 'size',
    sizes: [...SIZES_480P, ...SIZES_1080P],
    defaultSize: '1920*1080',
    durations: { kind: 'choices', choices: [5] },
    defaultDuration: 5,
    audio: false,
    shotType: false,
  },
  {
    id: 'wanx2.1-t2v-turbo',
    shape: 'size',
    sizes: [...SIZES_480P, ...SIZES_720P],
    defaultSize: '1280*720',
    durations: { kind: 'choices', choices: [5] },
    defaultDuration: 5,
    audio: false,
    shotType: false,
  },
  {
    id: 'wanx2.1-t2v-plus',
    shape: 'size',
    sizes: SIZES_720P,
    defaultSize: '1280*720',
    durations: { kind: 'choices', choices: [5] },
    defaultDuration: 5,
    audio: false,
    shotType: false,
  },
];

export const MODEL_IDS: readonly string[] = T2V_MODELS.map((model) => model.id);

/** One line for completion and hover. */
export function modelSummary(rules: ModelRules): string {
  switch (rules.id) {
    case 'wan2.7-t2v': return l10n.t('Wan 2.7: 720P or 1080P in five ratios, 2–15 s, with sound (or your audio_url)');
    case 'wan2.6-t2v': return l10n.t('Wan 2.6: size at 720P or 1080P, 5, 10 or 15 s, single or multi-shot, with sound');
    case 'wan2.5-t2v-preview': return l10n.t('Wan 2.5 preview: size at 480P, 720P or 1080P, 5 or 10 s, with sound');
    case 'wan2.2-t2v-plus': return l10n.t('Wan 2.2 plus: size at 480P or 1080P, always 5 s, silent');
    case 'wanx2.1-t2v-turbo': return l10n.t('Wan 2.1 turbo: size at 480P or 720P, always 5 s, silent');
    case 'wanx2.1-t2v-plus': return l10n.t('Wan 2.1 plus: size at 720P, always 5 s, silent');
    default: return rules.id;
  }
}

/** The model a name names, ignoring case and spaces around it; undefined for a name this extension does not know. */
export function findModel(name: string | undefined): ModelRules | undefined {
  const wanted = name?.trim().toLowerCase();
  return wanted ? T2V_MODELS.find((model) => model.id === wanted) : undefined;
}

/** The rules to check against: an unknown name (a reseller's alias, say) gets wan2.7's, the extension's default. */
export function rulesFor(name: string | undefined): ModelRules {
  return findModel(name) ?? T2V_MODELS[0];
}

/** Fixed at one length: the duration is not sent. */
export function hasFixedDuration(rules: ModelRules): boolean {
  return rules.durations.kind === 'choices' && rules.durations.choices.length === 1;
}

export function allowedDurations(rules: ModelRules): number[] {
  const rule = rules.durations;
  if (rule.kind === 'choices') return [...rule.choices];
  return Array.from({ length: rule.max - rule.min + 1 }, (_, i) => rule.min + i);
}

export function isAllowedDuration(rules: ModelRules, seconds: number): boolean {
  const rule = rules.durations;
  return rule.kind === 'range' ? seconds >= rule.min && seconds <= rule.max : rule.choices.includes(seconds);
}

/** "2–15", "5 or 10", "5, 10 or 15", "5". */
export function describeDurations(rules: ModelRules): string {
  const rule = rules.durations;
  if (rule.kind === 'range') return `${rule.min}–${rule.max}`;
  return orList(rule.choices.map(String));
}

/** The allowed length closest to `seconds`; the shorter one on a tie. */
export function nearestDuration(rules: ModelRules, seconds: number): number {
  return allowedDurations(rules).reduce((best, candidate) =>
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
