// What each front-matter key means, what it allows under a model, and what to suggest for it: for hover and completion.
import * as l10n from '@vscode/l10n';
import {
  allowedDurations, AUDIO_SETTINGS, describeDurations, MODEL_IDS, MODELS, rulesFor, SHOT_TYPES, specialDuration, type MediaType, type ModelRules,
} from '../wan/models';
import { MEDIA_KINDS, mediaExtensions, mediaLimits } from '../wan/mediaRules';
import { LIMITS, takesField } from '../wan/params';
import { isMediaKey, MAX_VARIANTS, PROMPT_FILE_KEYS, type PromptFileKey } from './promptFileTypes';

export interface KeyDoc {
  key: PromptFileKey;
  /** What it does, in a sentence or two. */
  summary: string;
  /** What it allows under the model. */
  allowed: string;
  /** What applies when the key is left out. */
  default: string;
  /** The models that take it. */
  models: string[];
}

export interface ValueSuggestion {
  /** As written in the file. */
  value: string;
  detail?: string;
}

/** Every key, with what it allows under `model` (any row's values for a model this extension does not know). */
export function keyDoc(key: PromptFileKey, model: string): KeyDoc {
  const rules = rulesFor(model);
  const models = MODEL_IDS.filter((id) => takes(rulesFor(id), key));
  if (isMediaKey(key)) return mediaKeyDoc(key, rules, models);
  const doc = (summary: string, allowed: string, byDefault: string): KeyDoc => ({ key, summary, allowed, default: byDefault, models });
  switch (key) {
    case 'model':
      return doc(
        l10n.t('The model. Its rules decide which other keys apply: wan3.0 and wan2.7 take resolution and ratio, the older models a size.'),
        MODELS.map((m) => `${m.id} (${m.summary()})`).join('; '),
        l10n.t('the `wan.model` setting (wan2.7-t2v)'),
      );
    case 'resolution':
      return doc(
        l10n.t('Output resolution. 1080P costs more per second.'),
        rules.resolutions.join(', ') || l10n.t('{0} does not take it', rules.id),
        settingOrService('resolution', rules.defaults.resolution, rules.serviceDefaults.resolution),
      );
    case 'ratio':
      return doc(
        l10n.t('Aspect ratio of the video.'),
        rules.ratios.join(', ') || l10n.t('{0} does not take it', rules.id),
        settingOrService('ratio', rules.defaults.ratio, rules.serviceDefaults.ratio),
      );
    case 'size':
      return doc(
        l10n.t('Width*height of the video, for the models before wan2.7. Each size belongs to a resolution tier.'),
        rules.sizes.length > 0 ? rules.sizes.map((o) => `${o.size} (${o.tier}, ${o.ratio})`).join(', ') : l10n.t('{0} takes resolution and ratio instead', rules.id),
        rules.sizes.length > 0 ? l10n.t('the size matching the resolution and ratio settings, else {0}', rules.defaults.size ?? '') : '—',
      );
    case 'duration':
      return doc(
        l10n.t('Length of the video in whole seconds. Billing is per second.'),
        l10n.t('{0} seconds', describeDurations(rules)),
        rules.defaults.duration !== undefined
          ? l10n.t('the `wan.defaults.duration` setting (5) where the model allows it, else {0}', rules.defaults.duration)
          : settingOrService('duration', undefined, rules.serviceDefaults.duration),
      );
    case 'shot_type':
      return doc(
        l10n.t('`single`: one continuous shot; `multi`: several shots. Works only with prompt_extend on.'),
        takesField(rules, 'shot_type') ? SHOT_TYPES.join(', ') : l10n.t('{0} does not take it', rules.id),
        'single',
      );
    case 'audio':
      return doc(
        l10n.t('false makes a video without a soundtrack (same price).'),
        takesField(rules, 'audio') ? 'true, false' : l10n.t('{0} does not take it', rules.id),
        'true',
      );
    case 'audio_setting':
      return doc(
        l10n.t('`origin` keeps the sound of the input video; `auto` lets the model remake it.'),
        takesField(rules, 'audio_setting') ? AUDIO_SETTINGS.join(', ') : l10n.t('{0} does not take it', rules.id),
        'auto',
      );
    case 'seed':
      return doc(
        l10n.t('Fixes the randomness: the same prompt and seed give a similar video. With variants, the videos take seed, seed+1, …'),
        l10n.t('a whole number from {0} to {1}', 0, LIMITS.seedMax),
        l10n.t('a new random seed for each video (or the `wan.defaults.seed` setting); the seed used is always recorded'),
      );
    case 'seeds':
      return doc(
        l10n.t('One video per seed in the list, for example `[1, 2, 3]`. Replaces seed and variants.'),
        l10n.t('1 to {0} seeds, each from 0 to {1}', MAX_VARIANTS, LIMITS.seedMax),
        l10n.t('one video'),
      );
    case 'variants':
      return doc(
        l10n.t('How many videos to make of the prompt, each with its own seed: counting up from seed when it is set, random otherwise.'),
        l10n.t('a whole number from {0} to {1}', 1, MAX_VARIANTS),
        '1',
      );
    case 'prompt_extend':
      return doc(l10n.t('Let the service rewrite the prompt with more detail (adds a few seconds).'), 'true, false', l10n.t('the `wan.defaults.promptExtend` setting (true)'));
    case 'watermark':
      return doc(l10n.t('Adds the "AI generated" mark at the bottom right.'), 'true, false', l10n.t('the `wan.defaults.watermark` setting (false)'));
    case 'negative_prompt':
      return doc(l10n.t('What the video should avoid.'), l10n.t('text, at most {0} characters', LIMITS.negativePromptMax), l10n.t('the `wan.defaults.negativePrompt` setting (none)'));
    case 'audio_url':
      return doc(
        l10n.t('A soundtrack for the video. Without it the model makes its own sound.'),
        takesField(rules, 'audio_url') ? l10n.t('a public http:// or https:// link to a wav or mp3 file, 2–30 s, at most 15 MB') : l10n.t('{0} makes silent videos', rules.id),
        l10n.t('none'),
      );
  }
}

/** What a media key holds, how many it takes under the model, and the limits of its files. */
function mediaKeyDoc(key: MediaType, rules: ModelRules, models: string[]): KeyDoc {
  const count = rules.media?.counts.find((c) => c.type === key);
  const limits = mediaLimits(rules, key);
  const files = limits
    ? l10n.t('a path (relative to this file or to a workspace folder) or an http(s):// link: {0}', [
      mediaExtensions(key).join(', '),
      ...(limits.sides ? [l10n.t('{0}–{1} px a side, at most {2}:1', limits.sides.min, limits.sides.max, limits.maxAspect ?? 8)] : []),
      ...(limits.seconds ? [l10n.t('{0}–{1} s', limits.seconds.min, limits.seconds.max)] : []),
      l10n.t('at most {0} MB', limits.maxBytes / (1024 * 1024)),
      ...(limits.refusesAlpha ? [l10n.t('no transparency')] : []),
    ].join(', '))
    : l10n.t('the http(s):// address of a public web page');
  const howMany = !count ? l10n.t('{0} does not take it', rules.id) : count.max > 1 ? l10n.t('up to {0}, as a list: [./a, ./b]', count.max) : l10n.t('one');
  const voice = rules.media?.voice?.includes(key) ? ` ${l10n.t('A reference may carry a voice: {0}.', `{ ${MEDIA_KINDS[key]}: ./girl.png, voice: ./girl.wav }`)}` : '';
  return { key, summary: mediaSummary(key) + voice, allowed: `${howMany}; ${files}`, default: l10n.t('none'), models };
}

function mediaSummary(key: MediaType): string {
  switch (key) {
    case 'first_frame':
      return l10n.t('The image the video starts from.');
    case 'last_frame':
      return l10n.t('The image the video ends on.');
    case 'first_clip':
      return l10n.t('A clip the video continues; its length counts toward the duration.');
    case 'driving_audio':
      return l10n.t('A sound the video follows (speech, music).');
    case 'reference_image':
      return l10n.t('Images of the people and things to keep; the prompt calls them 图1/Image 1, 图2/Image 2… in this order.');
    case 'reference_video':
      return l10n.t('Clips of the people and things to keep, or to edit or extend; the prompt calls them 视频1/Video 1… in this order.');
    case 'reference_audio':
      return l10n.t('Sounds to use; the prompt calls them 音频1/Audio 1… in this order.');
    case 'video':
      return l10n.t('The video to edit by the prompt\'s instruction.');
    case 'file':
      return l10n.t('A document (PDF, Word, slides, text…) the video is made from.');
    case 'link':
      return l10n.t('A public web page the video is made from.');
  }
}

/** Whether a key applies under the model: variants and seeds always, a parameter the model takes, a media type it takes. */
function takes(rules: ModelRules, key: PromptFileKey): boolean {
  if (key === 'variants' || key === 'seeds') return true;
  if (isMediaKey(key)) return rules.media?.counts.some((c) => c.type === key) ?? false;
  return takesField(rules, key);
}

/** The default a key takes: the setting the extension sends, or else what the service does without it. */
function settingOrService(key: 'resolution' | 'ratio' | 'duration', sent: string | number | undefined, service: string | number | undefined): string {
  if (sent !== undefined) return l10n.t('the `wan.defaults.{0}` setting ({1})', key, sent);
  const setting = l10n.t('the `wan.defaults.{0}` setting when you set it', key);
  if (service === undefined) return setting;
  return l10n.t('{0}, else the service\'s default ({1})', setting, service === -1 || service === 0 ? `${service} (${specialDuration(service)})` : service);
}

/** The keys a front matter under `model` may set, in the order they are best written. */
export function keysFor(model: string): PromptFileKey[] {
  const rules = rulesFor(model);
  return PROMPT_FILE_KEYS.filter((key) => takes(rules, key));
}

/** What to offer after `key:` under `model`; a media key's files are the editor's to find. */
export function valueSuggestions(key: PromptFileKey, model: string): ValueSuggestion[] {
  const rules = rulesFor(model);
  if (isMediaKey(key)) return key === 'link' ? [{ value: 'https://' }] : [];
  switch (key) {
    case 'model':
      return MODELS.map((m) => ({ value: m.id, detail: m.summary() }));
    case 'resolution':
      return rules.resolutions.map((value) => ({ value }));
    case 'ratio':
      return rules.ratios.map((value) => ({ value }));
    case 'size':
      return rules.sizes.map((o) => ({ value: o.size, detail: `${o.tier} · ${o.ratio}` }));
    case 'duration':
      return allowedDurations(rules).map((n) => ({ value: String(n), detail: specialDuration(n) ?? l10n.t('{0} s', n) }));
    case 'shot_type':
      return SHOT_TYPES.map((value) => ({ value }));
    case 'prompt_extend':
    case 'watermark':
      return [{ value: 'true' }, { value: 'false' }];
    case 'audio':
      return [{ value: 'false', detail: l10n.t('no soundtrack') }, { value: 'true' }];
    case 'audio_setting':
      return AUDIO_SETTINGS.map((value) => ({ value }));
    case 'variants':
      return [2, 3, 4].map((n) => ({ value: String(n), detail: l10n.t('{0} videos', n) }));
    case 'seeds':
      return [{ value: '[1, 2, 3]', detail: l10n.t('{0} videos', 3) }];
    case 'negative_prompt':
      return [{ value: l10n.t('blurry, low quality, distorted, text, watermark') }];
    case 'audio_url':
      return [{ value: 'https://' }];
    case 'seed':
      return [];
  }
}
