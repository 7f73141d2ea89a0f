// The shape of a parsed .wanprompt file: what parsePromptFile (promptFile.ts) returns, and the keys it knows.
import type { ParamField } from '../wan/params';

/** The keys a front matter may set: the API's own parameter names, and the two that make several videos of one prompt. */
export const PROMPT_FILE_KEYS = [
  'model', 'resolution', 'ratio', 'size', 'duration', 'shot_type', 'seed', 'seeds', 'variants',
  'prompt_extend', 'watermark', 'negative_prompt', 'audio_url', 'audio', 'audio_setting',
] as const;
export type PromptFileKey = (typeof PROMPT_FILE_KEYS)[number];

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
