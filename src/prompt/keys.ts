// What each front-matter key means, what it allows under a model, and what to suggest for it: for hover and completion.
import * as l10n from '@vscode/l10n';
import { allowedDurations, describeDurations, MODEL_IDS, modelSummary, rulesFor, SHOT_TYPES, T2V_MODELS } from '../wan/models';
import { LIMITS, RATIOS, RESOLUTIONS, takesField } from '../wan/params';
import { MAX_VARIANTS, PROMPT_FILE_KEYS, type PromptFileKey } from './promptFileTypes';

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

/** Every key, with what it allows under `model` (wan2.7's rules for an unknown model). */
export function keyDoc(key: PromptFileKey, model: string): KeyDoc {
  const rules = rulesFor(model);
  const models = key === 'variants' || key === 'seeds' ? [...MODEL_IDS] : MODEL_IDS.filter((id) => takesField(rulesFor(id), key));
  const doc = (summary: string, allowed: string, byDefault: string): KeyDoc => ({ key, summary, allowed, default: byDefault, models });
  switch (key) {
    case 'model':
      return doc(
        l10n.t('The text-to-video model. Its rules decide which other keys apply: wan2.7 takes resolution and ratio, the older models a size.'),
        T2V_MODELS.map((m) => `${m.id} (${modelSummary(m)})`).join('; '),
        l10n.t('the `wan.model` setting (wan2.7-t2v)'),
      );
    case 'resolution':
      return doc(l10n.t('Output resolution. 1080P costs more per second.'), RESOLUTIONS.join(', '), l10n.t('the `wan.defaults.resolution` setting (720P)'));
    case 'ratio':
      return doc(l10n.t('Aspect ratio of the video.'), RATIOS.join(', '), l10n.t('the `wan.defaults.ratio` setting (16:9)'));
    case 'size':
      return doc(
        l10n.t('Width*height of the video, for the models before wan2.7. Each size belongs to a resolution tier.'),
        rules.shape === 'size' ? rules.sizes.map((o) => `${o.size} (${o.tier}, ${o.ratio})`).join(', ') : l10n.t('{0} takes resolution and ratio instead', rules.id),
        rules.shape === 'size' ? l10n.t('the size matching the resolution and ratio settings, else {0}', rules.defaultSize ?? '') : '—',
      );
    case 'duration':
      return doc(
        l10n.t('Length of the video in whole seconds. Billing is per second.'),
        l10n.t('{0} seconds', describeDurations(rules)),
        l10n.t('the `wan.defaults.duration` setting (5) where the model allows it, else {0}', rules.defaultDuration),
      );
    case 'shot_type':
      return doc(
        l10n.t('`single`: one continuous shot; `multi`: several shots. Works only with prompt_extend on.'),
        rules.shotType ? SHOT_TYPES.join(', ') : l10n.t('{0} does not take it', rules.id),
        'single',
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
        rules.audio ? l10n.t('a public http:// or https:// link to a wav or mp3 file, 2–30 s, at most 15 MB') : l10n.t('{0} makes silent videos', rules.id),
        l10n.t('none'),
      );
  }
}

/** The keys a front matter under `model` may set, in the order they are best written. */
export function keysFor(model: string): PromptFileKey[] {
  const rules = rulesFor(model);
  return PROMPT_FILE_KEYS.filter((key) => key === 'variants' || key === 'seeds' || takesField(rules, key));
}

/** What to offer after `key:` under `model`. */
export function valueSuggestions(key: PromptFileKey, model: string): ValueSuggestion[] {
  const rules = rulesFor(model);
  switch (key) {
    case 'model':
      return T2V_MODELS.map((m) => ({ value: m.id, detail: modelSummary(m) }));
    case 'resolution':
      return RESOLUTIONS.map((value) => ({ value }));
    case 'ratio':
      return RATIOS.map((value) => ({ value }));
    case 'size':
      return rules.sizes.map((o) => ({ value: o.size, detail: `${o.tier} · ${o.ratio}` }));
    case 'duration':
      return allowedDurations(rules).map((n) => ({ value: String(n), detail: l10n.t('{0} s', n) }));
    case 'shot_type':
      return SHOT_TYPES.map((value) => ({ value }));
    case 'prompt_extend':
    case 'watermark':
      return [{ value: 'true' }, { value: 'false' }];
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
