// What a model's media may be: the limits each type's files share (Wan 2.7 and 3.0), and the checks of a request's
// media against the model's rules (counts, together-limits, exclusive groups, required types). Pure and synchronous.
import * as l10n from '@vscode/l10n';
import { FORMATS } from '../media/formats';
import type { MediaLimits } from '../media/mediaChecks';
import type { MediaKind } from '../media/mediaTypes';
import { isKnown, MODELS, orList, type MediaType, type ModelRules } from './models';

const MB = 1024 * 1024;
const formatsOf = (kind: MediaKind) => FORMATS.filter((row) => row.kind === kind).map((row) => row.format);

/** What the files of each kind may be, before a model's own durations. */
const KIND_LIMITS: Record<MediaKind, MediaLimits> = {
  image: { kind: 'image', formats: formatsOf('image'), maxBytes: 20 * MB, sides: { min: 240, max: 8000 }, maxAspect: 8, refusesAlpha: true },
  video: { kind: 'video', formats: formatsOf('video'), maxBytes: 100 * MB, sides: { min: 240, max: 4096 }, maxAspect: 8 },
  audio: { kind: 'audio', formats: formatsOf('audio'), maxBytes: 15 * MB },
  document: { kind: 'document', formats: formatsOf('document'), maxBytes: 100 * MB },
};

/** What each media type holds; a `link` is a web page, never a file. */
export const MEDIA_KINDS: Record<MediaType, MediaKind | 'link'> = {
  first_frame: 'image',
  last_frame: 'image',
  reference_image: 'image',
  first_clip: 'video',
  reference_video: 'video',
  video: 'video',
  driving_audio: 'audio',
  reference_audio: 'audio',
  file: 'document',
  link: 'link',
};

const EXAMPLE_FILES: Record<MediaKind | 'link', string> = { image: 'picture.png', video: 'clip.mp4', audio: 'sound.wav', document: 'notes.pdf', link: '' };

/** A file's limits for one type under a model; undefined for `link`. `reference_voice` is a sound. */
export function mediaLimits(rules: ModelRules, type: MediaType | 'reference_voice'): MediaLimits | undefined {
  const kind = type === 'reference_voice' ? 'audio' : MEDIA_KINDS[type];
  if (kind === 'link') return undefined;
  const seconds = rules.media?.seconds?.[type];
  return seconds ? { ...KIND_LIMITS[kind], seconds } : KIND_LIMITS[kind];
}

/** The file extensions a type takes, for completion: `['png', 'jpg', 'jpeg', …]`. */
export function mediaExtensions(type: MediaType | 'reference_voice'): string[] {
  const kind = type === 'reference_voice' ? 'audio' : MEDIA_KINDS[type];
  return FORMATS.filter((row) => row.kind === kind).flatMap((row) => row.extensions);
}

/** A problem of the media as a whole; `index` is the item it is about (absent: none is there to point at). */
export interface MediaRuleProblem {
  index?: number;
  /** True: about the item's reference_voice. */
  voice?: true;
  message: string;
}

/** The media of one request against the model's rules; an unknown model's are sent as written. */
export function checkMediaRules(rules: ModelRules, media: readonly { type: MediaType; referenceVoice?: string }[]): MediaRuleProblem[] {
  if (!isKnown(rules)) return [];
  const problems: MediaRuleProblem[] = [];
  const taken = rules.media;
  if (!taken) {
    media.forEach((item, index) => problems.push({
      index,
      message: l10n.t('{0} takes no media: remove {1}, or choose a model that takes it ({2}).', rules.id, item.type, modelsTaking(item.type)),
    }));
    return problems;
  }
  const seen = new Map<MediaType, number>();
  let together = 0;
  media.forEach((item, index) => {
    const count = (seen.get(item.type) ?? 0) + 1;
    seen.set(item.type, count);
    const rule = taken.counts.find((c) => c.type === item.type);
    if (!rule) {
      problems.push({ index, message: l10n.t('{0} does not take {1}; it takes {2}. Other models that take {1}: {3}.', rules.id, item.type, orList(taken.counts.map((c) => c.type)), modelsTaking(item.type)) });
      return;
    }
    if (count > rule.max) {
      problems.push({ index, message: l10n.t('{0} takes at most {1} {2}; this is number {3}. Remove it.', rules.id, rule.max, item.type, count) });
      return;
    }
    if (taken.together?.types.includes(item.type) && ++together > taken.together.max) {
      problems.push({ index, message: l10n.t('{0} takes at most {1} of {2} together; this is number {3}. Remove it.', rules.id, taken.together.max, orList(taken.together.types), together) });
    }
    if (item.referenceVoice !== undefined && !taken.voice?.includes(item.type)) {
      const voiced = MODELS.filter((m) => m.media?.voice?.includes(item.type)).map((m) => m.id);
      problems.push({ index, voice: true, message: l10n.t('{0} takes no voice for {1}. Remove voice; only {2} gives a reference a voice.', rules.id, item.type, orList(voiced.length > 0 ? voiced : ['wan2.7-r2v'])) });
    }
  });
  for (const groups of taken.exclusive ?? []) {
    // The first group written wins; the items of any other are the ones to remove.
    const first = media.find((item) => groups.some((group) => group.includes(item.type)));
    if (!first) continue;
    const firstGroup = groups.find((group) => group.includes(first.type))!;
    media.forEach((item, index) => {
      if (firstGroup.includes(item.type) || !groups.some((group) => group.includes(item.type))) return;
      problems.push({
        index,
        message: l10n.t('{0} cannot go with {1} in one {2} request: the service accepts the task, then fails it. Use {3} or {4}, not both.',
          item.type, first.type, rules.id, orList(firstGroup), orList(groups.find((group) => group.includes(item.type))!)),
      });
    });
  }
  const required = taken.required;
  if (required && !media.some((item) => required.includes(item.type))) {
    const example = `${required[0]}: ./${EXAMPLE_FILES[MEDIA_KINDS[required[0]]]}`;
    problems.push({ message: l10n.t('{0} needs {1}: add it to the front matter, for example `{2}`.', rules.id, orList(required), example) });
  }
  return problems;
}

/** A duration longer than the model makes with these media (r2v: 10 s with a reference video); undefined when it fits. */
export function outputDurationProblem(rules: ModelRules, media: readonly { type: MediaType }[], duration: unknown): string | undefined {
  const limit = rules.media?.outputMaxWith;
  if (!limit || typeof duration !== 'number' || duration <= limit.max) return undefined;
  const type = media.find((item) => limit.types.includes(item.type))?.type;
  if (!type) return undefined;
  return l10n.t('{0} makes videos of at most {1} s with a {2}; this asks for {3} s. Write duration: {1} or less, or leave the {2} out.', rules.id, limit.max, type, duration);
}

/**
 * The input clips and the video asked for, over what the model takes together (Wan 3.0: 30 s); undefined when they fit
 * or when the model chooses the length (-1, 0).
 */
export function inputPlusOutputProblem(rules: ModelRules, type: MediaType, inputSeconds: number, duration: number): string | undefined {
  const limit = rules.media?.inputPlusOutputMax;
  if (!limit || duration <= 0 || inputSeconds + duration <= limit.max) return undefined;
  const input = Math.ceil(inputSeconds * 10) / 10;
  const fits = Math.floor(limit.max - inputSeconds);
  return l10n.t('{0} s of {1} and a {2} s video: {3} s; {4} takes at most {5} s of input and output together. Write duration: {6} or less, or trim the clips.',
    input, type, duration, Math.ceil((inputSeconds + duration) * 10) / 10, rules.id, limit.max, fits);
}

function modelsTaking(type: MediaType): string {
  return orList(MODELS.filter((m) => m.media?.counts.some((c) => c.type === type)).map((m) => m.id));
}
