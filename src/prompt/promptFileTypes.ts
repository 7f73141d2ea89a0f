// The shape of a parsed .wanprompt file: what parsePromptFile (promptFile.ts) returns, and the keys it knows.
import type { MediaType } from '../wan/models';
import type { MediaInput, ParamField } from '../wan/params';

/** The media keys, named after the API's media types; each takes a path or link, or a list of them. */
export const MEDIA_KEYS = [
  'first_frame', 'last_frame', 'first_clip', 'driving_audio', 'reference_image', 'reference_video', 'reference_audio', 'video', 'file', 'link',
] as const satisfies readonly MediaType[];

/** The keys a front matter may set: the API's own parameter names and media types, and the two that make several videos of one prompt. */
export const PROMPT_FILE_KEYS = [
  'model', 'resolution', 'ratio', 'size', 'duration', 'shot_type', 'seed', 'seeds', 'variants',
  'prompt_extend', 'watermark', 'negative_prompt', 'audio_url', 'audio', 'audio_setting', ...MEDIA_KEYS,
] as const;
export type PromptFileKey = (typeof PROMPT_FILE_KEYS)[number];
/** The keys that are parameters of the create call. */
export type ParamKey = Exclude<PromptFileKey, MediaType>;

export function isMediaKey(key: string): key is MediaType {
  return (MEDIA_KEYS as readonly string[]).includes(key);
}

/** The most videos one prompt may ask for (through variants or seeds). */
export const MAX_VARIANTS = 20;

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
}

export interface PromptFileProblem {
  message: string;
  start: number;
  end: number;
  /** The key the problem is about, or `prompt` for the prompt text. */
  field?: PromptFileKey | 'prompt';
  /** A local file's problem that a quick fix can mend: `alpha` (write a flattened copy). */
  code?: string;
  /** Errors stop the prompt from being submitted; warnings do not. */
  severity: 'error' | 'warning';
  fixes?: QuickFix[];
}

export interface FrontMatterField {
  key: string;
  /** As YAML read it, before any check. */
  value: unknown;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
  /** The whole line, its line break included: what removing the key removes. */
  lineStart: number;
  lineEnd: number;
  /** For a list value (`seeds`): where each item is. */
  itemRanges?: [number, number][];
  /** Where the values of a `key: value` map are: of the value itself, or of each list item (undefined for one that is not a map). */
  valueParts?: Parts;
  itemParts?: (Parts | undefined)[];
}

export type Parts = Record<string, [number, number]>;

/** A media input of a prompt, with where its value (and its voice) is written, for the messages. */
export interface PromptMedia extends MediaInput {
  start: number;
  end: number;
  voiceStart?: number;
  voiceEnd?: number;
}

/** Where a prompt says 图1 / Image 1, 视频2 / Video 2, 音频1 / Audio 1: the n-th reference of that type. */
export interface MediaReference {
  start: number;
  end: number;
  type: 'reference_image' | 'reference_video' | 'reference_audio';
  /** From 1. */
  n: number;
  /** The index in `media` of the item it means; absent when the prompt has no such item. */
  media?: number;
}

export interface FrontMatter {
  /** From the opening --- to the end of the closing --- line. */
  start: number;
  end: number;
  /** The YAML between the fences. */
  bodyStart: number;
  bodyEnd: number;
  closed: boolean;
  fields: FrontMatterField[];
}

export interface PromptEntry {
  index: number;
  /** The words after ###. */
  title?: string;
  /** The ### line; absent for a prompt written before any ### line. */
  header?: { start: number; end: number };
  /** The whole section, from its ### line (or the file's start) to the next ### line. */
  start: number;
  end: number;
  frontMatter?: FrontMatter;
  /** The text, without comment lines. */
  prompt: string;
  promptStart: number;
  promptEnd: number;
  /** The model the prompt's rules follow: its own, the file's, or the default. */
  model: string;
  /** Checked values for the create call, the file's front matter overridden by the prompt's; no prompt, no seed. */
  overrides: Partial<Record<ParamField, unknown>>;
  /** One entry per video: a fixed seed, or undefined for one the caller picks. */
  seeds: (number | undefined)[];
  /** The images, clips, sounds, documents and links, in the order written: the file's (unless the prompt sets that key), then the prompt's. */
  media: PromptMedia[];
  /** Where the prompt text refers to its references by number. */
  mediaReferences: MediaReference[];
}

export interface PromptFile {
  /** The file's own front matter: defaults for every prompt. */
  defaults?: FrontMatter;
  /** The model of the file's front matter, or the default model. */
  model: string;
  prompts: PromptEntry[];
  /** Every problem, in the order of the text. */
  problems: PromptFileProblem[];
}
