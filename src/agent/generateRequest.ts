// What an agent asks wan_generate_video for, checked with the very rules of the prompt-file editor: an inline request
// is written as the front matter of a prompt file and parsed like one, so a key, a value, a model or a media list the
// editor would underline is refused here with the same words.
import * as l10n from '@vscode/l10n';
import { findMediaReferences } from '../prompt/promptMedia';
import { blockingProblems, MAX_VARIANTS, parsePromptFile, type PromptEntry, type PromptFile } from '../prompt/promptFile';
import { lineOf } from '../prompt/frontMatterChecks';
import { MEDIA_KINDS } from '../wan/mediaRules';
import { checkParam } from '../wan/params';

/** The tool's input as package.json's inputSchema declares it; nothing in it is trusted. */
export interface GenerateVideoInput {
  prompt?: unknown;
  model?: unknown;
  params?: unknown;
  media?: unknown;
  promptFile?: unknown;
  promptName?: unknown;
  variations?: unknown;
}

/** An inline request: the prompt and its front matter, ready for planTasks. */
export interface InlineRequest {
  kind: 'inline';
  file: PromptFile;
  entry: PromptEntry;
  warnings: string[];
}

/** A prompt of a prompt file, to be read (from the editor's copy) and run as written. */
export interface FileRequest {
  kind: 'file';
  promptFile: string;
  promptName?: string;
}

export type CheckedRequest = InlineRequest | FileRequest | { kind: 'problems'; problems: string[] };

const TEXT_LINE = '.';

/** Checks the input's shape, and an inline request against the model's rules; a prompt file is checked once it is read. */
export function checkGenerateInput(input: GenerateVideoInput, defaultModel: string): CheckedRequest {
  const problems: string[] = [];
  const text = (name: string, value: unknown): string | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    problems.push(l10n.t('{0} must be a non-empty string; got {1}.', name, JSON.stringify(value)));
    return undefined;
  };
  const promptFile = text('promptFile', input.promptFile);
  const promptName = text('promptName', input.promptName);
  if (promptFile !== undefined) {
    for (const name of ['prompt', 'model', 'params', 'media', 'variations'] as const) {
      if (input[name] !== undefined && input[name] !== null) {
        problems.push(l10n.t('{0} cannot be given with promptFile: a prompt file runs as written. Edit the file (its front matter) instead, or leave promptFile out and give prompt, model and params.', name));
      }
    }
    return problems.length > 0 ? { kind: 'problems', problems } : { kind: 'file', promptFile, promptName };
  }
  if (promptName !== undefined) problems.push(l10n.t('promptName names a prompt of promptFile; give promptFile too.'));
  if (typeof input.prompt !== 'string' || input.prompt.trim() === '') {
    problems.push(l10n.t('prompt is required (or promptFile): describe the video to make, in one paragraph.'));
    return { kind: 'problems', problems };
  }
  const lines = frontMatterLines(input, problems);
  if (problems.length > 0) return { kind: 'problems', problems };

  const source = `---\n${lines.join('\n')}\n---\n${TEXT_LINE}\n`;
  const file = parsePromptFile(source, { defaultModel });
  const entry = file.prompts[0];
  const prompt = input.prompt.trim();
  const found = [...file.problems];
  const checked = checkParam('prompt', prompt, entry.model);
  if ('problem' in checked) found.push({ message: checked.problem, start: 0, end: 0, field: 'prompt', severity: 'error' });
  const withPrompt: PromptEntry = { ...entry, prompt, promptStart: 0, promptEnd: prompt.length };
  // 图1 / Image 1 with no such reference: a warning, as in the editor.
  withPrompt.mediaReferences = findMediaReferences(prompt, withPrompt, found);
  const errors = found.filter((p) => p.severity === 'error').map((p) => p.message);
  if (errors.length > 0) return { kind: 'problems', problems: errors };
  return { kind: 'inline', file: { ...file, prompts: [withPrompt] }, entry: withPrompt, warnings: found.filter((p) => p.severity === 'warning').map((p) => p.message) };
}

/** A prompt file's problems that stop `entry`, with their lines, as the Problems panel would list them. */
export function fileProblems(text: string, file: PromptFile, entry: PromptEntry): string[] {
  return blockingProblems(file, entry).map((problem) => l10n.t('line {0}: {1}', lineOf(text, problem.start), problem.message));
}

/** The prompt `name` names (its ### title, any case), or the only prompt of the file. */
export function findPrompt(file: PromptFile, name: string | undefined): { entry: PromptEntry } | { problem: string } {
  const titles = file.prompts.map((entry) => entry.title).filter((title): title is string => title !== undefined);
  if (name === undefined) {
    if (file.prompts.length === 1) return { entry: file.prompts[0] };
    return { problem: l10n.t('The prompt file has {0} prompts: give promptName, one of: {1}.', file.prompts.length, titles.map((t) => `"${t}"`).join(', ')) };
  }
  const entry = file.prompts.find((candidate) => candidate.title?.toLowerCase() === name.toLowerCase());
  if (entry) return { entry };
  return { problem: titles.length > 0
    ? l10n.t('The prompt file has no prompt named "{0}"; its prompts: {1}.', name, titles.map((t) => `"${t}"`).join(', '))
    : l10n.t('The prompt file has no prompt named "{0}": it has no ### titles, so leave promptName out.', name) };
}

/** Each key as one `"key": value` line: JSON is YAML, so no value can end the front matter or start a prompt. */
function frontMatterLines(input: GenerateVideoInput, problems: string[]): string[] {
  const lines: string[] = [];
  const add = (key: string, value: unknown) => lines.push(`${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  if (input.model !== undefined && input.model !== null) add('model', input.model);
  if (input.params !== undefined && input.params !== null) {
    if (typeof input.params !== 'object' || Array.isArray(input.params)) {
      problems.push(l10n.t('params must be an object of the API\'s parameter names, for example {"resolution": "720P", "duration": 5}.'));
    } else {
      for (const [key, value] of Object.entries(input.params)) {
        if (key === 'model' || key === 'prompt') problems.push(l10n.t('{0} is its own input, not one of params.', key));
        else if (value !== undefined && value !== null) add(key, value);
      }
    }
  }
  if (input.variations !== undefined && input.variations !== null) {
    const n = input.variations;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_VARIANTS) {
      problems.push(l10n.t('variations is how many videos to make of the prompt, each with its own seed: a whole number from 1 to {0}; got {1}.', MAX_VARIANTS, JSON.stringify(n)));
    } else if (n > 1) add('variants', n);
  }
  for (const [type, items] of mediaByType(input.media, problems)) add(type, items.length === 1 ? items[0] : items);
  return lines;
}

/** The media list grouped by type, in the order given, in the front matter's own forms (a path, or { image, voice }). */
function mediaByType(media: unknown, problems: string[]): Map<string, unknown[]> {
  const byType = new Map<string, unknown[]>();
  if (media === undefined || media === null) return byType;
  if (!Array.isArray(media)) {
    problems.push(l10n.t('media must be a list of {"type": …, "path": …} items.'));
    return byType;
  }
  for (const item of media) {
    const { type, path, voice } = (item ?? {}) as { type?: unknown; path?: unknown; voice?: unknown };
    if (typeof type !== 'string' || typeof path !== 'string') {
      problems.push(l10n.t('Each media item needs a type (first_frame, reference_image, video…) and a path; got {0}.', JSON.stringify(item)));
      continue;
    }
    const kind = MEDIA_KINDS[type as keyof typeof MEDIA_KINDS] ?? 'image';
    const value = voice === undefined ? path : { [kind === 'document' ? 'file' : kind]: path, voice };
    byType.set(type, [...(byType.get(type) ?? []), value]);
  }
  return byType;
}

