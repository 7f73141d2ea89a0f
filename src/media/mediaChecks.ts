// Checks a media file's facts against what one media key of a model takes, and says what to do about each problem.
import * as l10n from '@vscode/l10n';
import { formatLabel, formatRow } from './formats';
import type { MediaFormat, MediaInfo, MediaKind } from './mediaTypes';

/** Both ends included. */
export interface Range {
  min: number;
  max: number;
}

/**
 * What one media key of a model takes (the model table supplies one per key). For Wan 2.7 and 3.0 an image key is
 * `{ kind: 'image', formats: ['jpeg', 'png', 'bmp', 'webp'], maxBytes: 20 MB, sides: { min: 240, max: 8000 },
 * maxAspect: 8, refusesAlpha: true }`, a video key `{ kind: 'video', formats: ['mp4', 'mov'], maxBytes: 100 MB,
 * sides: { min: 240, max: 4096 }, maxAspect: 8, seconds: … }`, a sound key `{ kind: 'audio', formats: ['wav', 'mp3'],
 * maxBytes: 15 MB, seconds: … }`, with the durations of the model (MB = 2^20 bytes).
 */
export interface MediaLimits {
  kind: MediaKind;
  formats: readonly MediaFormat[];
  /** The largest file, in bytes. */
  maxBytes: number;
  /** Each side of an image or of a clip's picture, in pixels. */
  sides?: Range;
  /** How many times the long side may be the short one: 8 for 8:1. */
  maxAspect?: number;
  /** A clip's or a sound's duration, in seconds. */
  seconds?: Range;
  /** True: an image with an alpha channel is refused. */
  refusesAlpha?: boolean;
}

/** `alpha` is where a quick fix can write a flattened copy; `extension` is a warning, the rest are errors. */
export interface MediaProblem {
  code: 'kind' | 'format' | 'extension' | 'size' | 'sides' | 'aspect' | 'alpha' | 'duration';
  severity: 'error' | 'warning';
  /** What is wrong and what to do, for the user. */
  message: string;
}

const MB = 1024 * 1024;

/** Every problem of the file for this key; none when the service will take it. */
export function checkMediaFile(info: MediaInfo, limits: MediaLimits): MediaProblem[] {
  const label = formatLabel(info.format);
  const takes = limits.formats.map(formatLabel).join(', ');
  if (info.kind !== limits.kind) {
    return [error('kind', l10n.t('This key takes {0} ({1}); this file is {2} ({3}).', kindName(limits.kind), takes, kindName(info.kind), label))];
  }
  const problems: MediaProblem[] = [];
  if (!limits.formats.includes(info.format)) problems.push(error('format', l10n.t('This key does not take {0} files; convert it to {1}.', label, takes)));
  if (info.extensionSays) {
    const rename = formatRow(info.format).extensions[0];
    problems.push({
      code: 'extension',
      severity: 'warning',
      message: l10n.t('The name says {0}, but the file holds {1}: rename it to end in .{2}, so that nothing reads it as the wrong format.', formatLabel(info.extensionSays), label, rename),
    });
  }
  if (info.size > limits.maxBytes) {
    const size = Math.ceil((info.size / MB) * 10) / 10;
    problems.push(error('size', l10n.t('The file is {0} MB; at most {1} MB is allowed. {2}', size, Number((limits.maxBytes / MB).toFixed(1)), smallerAdvice(info.kind))));
  }
  if (info.kind === 'image' || info.kind === 'video') {
    const { width, height } = info;
    const [short, long] = [Math.min(width, height), Math.max(width, height)];
    if (limits.sides && short < limits.sides.min) {
      problems.push(error('sides', l10n.t('It is {0}×{1} px, under {2} px on a side: scale it up so that each side is at least {2} px.', width, height, limits.sides.min)));
    }
    if (limits.sides && long > limits.sides.max) {
      problems.push(error('sides', l10n.t('It is {0}×{1} px, over {2} px on a side: scale it down so that each side is at most {2} px.', width, height, limits.sides.max)));
    }
    if (limits.maxAspect && long > short * limits.maxAspect) {
      const ratio = Number((long / short).toFixed(1));
      problems.push(error('aspect', l10n.t('It is {0}×{1} px, {2}:1; the long side may be at most {3} times the short one. Crop it.', width, height, ratio, limits.maxAspect)));
    }
  }
  if (info.kind === 'image' && info.alpha && limits.refusesAlpha) {
    problems.push(error('alpha', l10n.t('The image has an alpha channel (transparency), which the service does not take. Flatten it onto a background: save it as JPEG, or as PNG without transparency.')));
  }
  if ((info.kind === 'video' || info.kind === 'audio') && limits.seconds) {
    // Rounded away from the range, so that 15.004 s does not read as the 15 s it exceeds.
    if (info.seconds < limits.seconds.min) {
      const seconds = Math.floor(info.seconds * 100) / 100;
      problems.push(error('duration', l10n.t('It lasts {0} s; this key takes {1}–{2} s. Use a longer one.', seconds, limits.seconds.min, limits.seconds.max)));
    } else if (info.seconds > limits.seconds.max) {
      const seconds = Math.ceil(info.seconds * 100) / 100;
      problems.push(error('duration', l10n.t('It lasts {0} s; this key takes {1}–{2} s. Trim it.', seconds, limits.seconds.min, limits.seconds.max)));
    }
  }
  return problems;
}

function error(code: MediaProblem['code'], message: string): MediaProblem {
  return { code, severity: 'error', message };
}

function kindName(kind: MediaKind): string {
  switch (kind) {
    case 'image':
      return l10n.t('an image');
    case 'video':
      return l10n.t('a video');
    case 'audio':
      return l10n.t('a sound');
    case 'document':
      return l10n.t('a document');
  }
}

function smallerAdvice(kind: MediaKind): string {
  switch (kind) {
    case 'image':
      return l10n.t('Scale it down, or save it as JPEG.');
    case 'video':
      return l10n.t('Trim it, or export it at a lower bitrate or resolution.');
    case 'audio':
      return l10n.t('Trim it, or export it as MP3.');
    case 'document':
      return l10n.t('Split it, or make its pictures smaller.');
  }
}
