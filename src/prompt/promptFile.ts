// Parses a .wanprompt file: an optional YAML front matter between `---` lines, then the prompt text.
// Pure: no vscode import; positions are offsets into the text so any editor can map them.
import { isMap, isScalar, parseDocument } from 'yaml';
import { checkParam, type ParamField } from '../wan/params';

/** The front-matter keys a prompt file may set: the API's own parameter names. */
export const PROMPT_FILE_KEYS = [
  'model', 'resolution', 'ratio', 'duration', 'seed', 'prompt_extend', 'watermark', 'negative_prompt', 'audio_url',
] as const satisfies readonly ParamField[];
type PromptFileKey = typeof PROMPT_FILE_KEYS[number];

export interface PromptFileProblem {
  message: string;
  start: number;
  end: number;
  field?: ParamField;
}

export interface ParsedPromptFile {
  /** Checked and normalised front-matter values, keyed by API parameter name. */
  overrides: Partial<Record<ParamField, unknown>>;
  prompt: string;
  promptStart: number;
  promptEnd: number;
  problems: PromptFileProblem[];
}

const FENCE = /^---[ \t]*$/;

export function parsePromptFile(text: string): ParsedPromptFile {
  const problems: PromptFileProblem[] = [];
  const overrides: Partial<Record<ParamField, unknown>> = {};
  const lines = splitLines(text);
  let bodyStart = 0;

  if (lines.length > 0 && FENCE.test(stripBom(lines[0].text))) {
    const close = lines.findIndex((line, i) => i > 0 && FENCE.test(line.text));
    if (close < 0) {
      problems.push({
        message: 'The front matter opened on line 1 is never closed: add a line with --- between the settings and the prompt.',
        start: lines[0].start,
        end: lines[0].start + lines[0].text.length,
      });
      return { overrides, prompt: '', promptStart: text.length, promptEnd: text.length, problems };
    }
    const yamlStart = lines[1].start;
    readFrontMatter(text.slice(yamlStart, lines[close].start), yamlStart, overrides, problems);
    bodyStart = close + 1 < lines.length ? lines[close + 1].start : text.length;
  }

  const body = text.slice(bodyStart);
  const leading = body.length - body.trimStart().length;
  const prompt = body.trim();
  const promptStart = bodyStart + leading;
  const promptEnd = promptStart + prompt.length;
  const checked = checkParam('prompt', prompt);
  if ('problem' in checked) {
    problems.push(prompt
      ? { message: checked.problem, start: promptStart, end: promptEnd, field: 'prompt' }
      : { message: 'The prompt is empty: write the text of the video below the front matter.', start: bodyStart, end: text.length, field: 'prompt' });
  }
  return { overrides, prompt, promptStart, promptEnd, problems };
}

function readFrontMatter(
  source: string,
  offset: number,
  overrides: Partial<Record<ParamField, unknown>>,
  problems: PromptFileProblem[],
): void {
  const doc = parseDocument(source, { uniqueKeys: true, prettyErrors: false });
  // An error found at the end of the YAML (an unclosed bracket) is shown on its last character, not on the closing ---.
  const last = Math.max(1, source.trimEnd().length);
  for (const error of doc.errors) {
    const start = Math.min(error.pos[0], last - 1);
    const end = Math.min(Math.max(error.pos[1], start + 1), last);
    problems.push({ message: `The front matter is not valid YAML: ${firstLine(error.message)}`, start: offset + start, end: offset + end });
  }
  if (doc.errors.length > 0 || doc.contents === null) return;
  if (!isMap(doc.contents)) {
    const [start, end] = doc.contents.range ?? [0, source.length];
    problems.push({ message: 'The front matter must be a list of `key: value` lines, for example `duration: 5`.', start: offset + start, end: offset + end });
    return;
  }
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const [keyStart, keyEnd] = pair.key.range ?? [0, 0];
    if (!(PROMPT_FILE_KEYS as readonly string[]).includes(key)) {
      const hint = key === 'prompt' ? ' The prompt itself goes below the closing ---.' : '';
      problems.push({ message: `Unknown key "${key}". Allowed keys: ${PROMPT_FILE_KEYS.join(', ')}.${hint}`, start: offset + keyStart, end: offset + keyEnd });
      continue;
    }
    const valueNode = pair.value;
    const value = isScalar(valueNode) ? valueNode.value : valueNode?.toJSON();
    if (value === null || value === undefined) continue; // `seed:` left empty means "not set"
    const [valueStart, valueEnd] = valueNode && 'range' in valueNode && valueNode.range ? valueNode.range : [keyStart, keyEnd];
    const checked = checkParam(key as PromptFileKey, value);
    if ('problem' in checked) {
      problems.push({ message: checked.problem, start: offset + valueStart, end: offset + valueEnd, field: key as PromptFileKey });
    } else {
      overrides[key as PromptFileKey] = checked.value;
    }
  }
}

interface Line { text: string; start: number }

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const pattern = /([^\r\n]*)(\r\n|\r|\n|$)/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    lines.push({ text: match[1], start: match.index });
    if (match[2] === '') break;
  }
  return lines;
}

function stripBom(line: string): string {
  return line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}
