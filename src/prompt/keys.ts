// What each front-matter key means, what it allows under a model, and what to suggest for it: for hover and completion.
import { allowedDurations, describeDurations, MODEL_IDS, rulesFor, SHOT_TYPES, T2V_MODELS } from '../wan/models';
import { LIMITS, RATIOS, RESOLUTIONS, takesField } from '../wan/params';
import { MAX_VARIANTS, PROMPT_FILE_KEYS, type PromptFileKey } from './promptFile';

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
        'The text-to-video model. Its rules decide which other keys apply: wan2.7 takes resolution and ratio, the older models a size.',
        T2V_MODELS.map((m) => `${m.id} (${m.summary})`).join('; '),
        'the `wan.model` setting (wan2.7-t2v)',
      );
    case 'resolution':
      return doc('Output resolution. 1080P costs more per second.', RESOLUTIONS.join(', '), 'the `wan.defaults.resolution` setting (720P)');
    case 'ratio':
      return doc('Aspect ratio of the video.', RATIOS.join(', '), 'the `wan.defaults.ratio` setting (16:9)');
    case 'size':
      return doc(
        'Width*height of the video, for the models before wan2.7. Each size belongs to a resolution tier.',
        rules.shape === 'size' ? rules.sizes.map((o) => `${o.size} (${o.tier}, ${o.ratio})`).join(', ') : `${rules.id} takes resolution and ratio instead`,
        rules.shape === 'size' ? `the size matching the resolution and ratio settings, else ${rules.defaultSize}` : '—',
      );
    case 'duration':
      return doc('Length of the video in whole seconds. Billing is per second.', `${describeDurations(rules)} seconds`, `the \`wan.defaults.duration\` setting (5) where the model allows it, else ${rules.defaultDuration}`);
    case 'shot_type':
      return doc('`single`: one continuous shot; `multi`: several shots. Works only with prompt_extend on.', rules.shotType ? SHOT_TYPES.join(', ') : `${rules.id} does not take it`, 'single');
    case 'seed':
      return doc('Fixes the randomness: the same prompt and seed give a similar video. With variants, the videos take seed, seed+1, …', `a whole number from 0 to ${LIMITS.seedMax}`, 'a new random seed for each video (or the `wan.defaults.seed` setting); the seed used is always recorded');
    case 'seeds':
      return doc('One video per seed in the list, for example `[1, 2, 3]`. Replaces seed and variants.', `1 to ${MAX_VARIANTS} seeds, each from 0 to ${LIMITS.seedMax}`, 'one video');
    case 'variants':
      return doc('How many videos to make of the prompt, each with its own seed: counting up from seed when it is set, random otherwise.', `a whole number from 1 to ${MAX_VARIANTS}`, '1');
    case 'prompt_extend':
      return doc('Let the service rewrite the prompt with more detail (adds a few seconds).', 'true, false', 'the `wan.defaults.promptExtend` setting (true)');
    case 'watermark':
      return doc('Adds the "AI generated" mark at the bottom right.', 'true, false', 'the `wan.defaults.watermark` setting (false)');
    case 'negative_prompt':
      return doc('What the video should avoid.', `text, at most ${LIMITS.negativePromptMax} characters`, 'the `wan.defaults.negativePrompt` setting (none)');
    case 'audio_url':
      return doc('A soundtrack for the video. Without it the model makes its own sound.', rules.audio ? 'a public http:// or https:// link to a wav or mp3 file, 2–30 s, at most 15 MB' : `${rules.id} makes silent videos`, 'none');
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
      return T2V_MODELS.map((m) => ({ value: m.id, detail: m.summary }));
    case 'resolution':
      return RESOLUTIONS.map((value) => ({ value }));
    case 'ratio':
      return RATIOS.map((value) => ({ value }));
    case 'size':
      return rules.sizes.map((o) => ({ value: o.size, detail: `${o.tier} · ${o.ratio}` }));
    case 'duration':
      return allowedDurations(rules).map((n) => ({ value: String(n), detail: `${n} s` }));
    case 'shot_type':
      return SHOT_TYPES.map((value) => ({ value }));
    case 'prompt_extend':
    case 'watermark':
      return [{ value: 'true' }, { value: 'false' }];
    case 'variants':
      return [2, 3, 4].map((n) => ({ value: String(n), detail: `${n} videos` }));
    case 'seeds':
      return [{ value: '[1, 2, 3]', detail: '3 videos' }];
    case 'negative_prompt':
      return [{ value: 'blurry, low quality, distorted, text, watermark' }];
    case 'audio_url':
      return [{ value: 'https://' }];
    case 'seed':
      return [];
  }
}
