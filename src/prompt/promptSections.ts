// Splits a prompt file's text into lines and sections (a ### line starts each prompt), and checks each prompt's text.
import * as l10n from '@vscode/l10n';
import { checkParam } from '../wan/params';
import type { PromptEntry, PromptFileProblem } from './promptFileTypes';

const FENCE = /^---[ \t]*$/;
/** One rule for every run of #s: exactly three at the line's start begin a prompt; any other run is a comment. */
export const SEPARATOR = /^###(?!#)/;
const COMMENT = /^[ \t]*#/;
/** Comment lines a reader may take for a prompt's start: a deeper heading, or an indented ###. */
const LOOKS_LIKE_SEPARATOR = /^(#{4,})|^[ \t]+(###)(?!#)/;

export interface Line { text: string; start: number; end: number; next: number }

export interface Section {
  header?: Line;
  firstLine: number;
  lastLine: number;
  frontMatter?: { open: number; close?: number; last: number };
  textLines: Line[];
}

export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const pattern = /([^\r\n]*)(\r\n|\r|\n|$)/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const start = match.index;
    const bom = start === 0 && match[1].charCodeAt(0) === 0xfeff ? 1 : 0;
    lines.push({ text: match[1].slice(bom), start: start + bom, end: start + match[1].length, next: start + match[0].length });
    if (match[2] === '') break;
  }
  return lines;
}

/** A ### line always starts a new section, even inside an unclosed front matter. */
export function splitSections(lines: Line[], problems: PromptFileProblem[]): Section[] {
  const sections: Section[] = [];
  let section: Section = { firstLine: 0, lastLine: 0, textLines: [] };
  let inLead = true; // before the prompt text: blank lines, comments, a front matter
  let sawFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (SEPARATOR.test(line.text)) {
      sections.push(section);
      section = { header: line, firstLine: i, lastLine: i, textLines: [] };
      inLead = true;
      sawFence = false;
      continue;
    }
    section.lastLine = i;
    if (COMMENT.test(line.text)) warnIfAmbiguous(line, problems);
    if (line.text.trim() === '' || COMMENT.test(line.text)) {
      if (!inLead && line.text.trim() === '') section.textLines.push(line);
      continue;
    }
    if (inLead && FENCE.test(line.text) && !section.frontMatter) {
      let close: number | undefined;
      let last = i;
      for (let j = i + 1; j < lines.length && !SEPARATOR.test(lines[j].text); j++) {
        last = j;
        if (FENCE.test(lines[j].text)) {
          close = j;
          break;
        }
      }
      section.frontMatter = close === undefined ? { open: i, last } : { open: i, close, last: close };
      if (close === undefined) {
        problems.push({
          message: l10n.t('The front matter opened on line {0} is never closed: add a line with --- between the settings and the prompt.', i + 1),
          start: line.start,
          end: line.end,
          severity: 'error',
        });
      }
      section.lastLine = last;
      i = last;
      continue;
    }
    if (FENCE.test(line.text) && !sawFence) {
      sawFence = true;
      problems.push({
        message: l10n.t('This --- line is part of the prompt text. To give the next prompt settings of its own, start it with a ### line, then its --- block.'),
        start: line.start,
        end: line.end,
        severity: 'warning',
      });
    }
    inLead = false;
    section.textLines.push(line);
  }
  sections.push(section);
  return sections;
}

function warnIfAmbiguous(line: Line, problems: PromptFileProblem[]): void {
  const match = LOOKS_LIKE_SEPARATOR.exec(line.text);
  if (!match) return;
  const hashes = match[1] ?? match[2];
  const start = line.start + line.text.indexOf(hashes);
  const rest = line.text.slice(line.text.indexOf(hashes) + hashes.length);
  problems.push({
    message: l10n.t('This line is a comment: only a line that starts with exactly ### (at its very start) begins a new prompt.'),
    start,
    end: start + hashes.length,
    severity: 'warning',
    fixes: [{ title: l10n.t('Start a new prompt here'), edits: [{ start: line.start, end: line.end, text: `###${rest}` }] }],
  });
}

export function promptText(textLines: Line[]): { prompt: string; start: number; end: number } {
  const filled = textLines.filter((line) => line.text.trim() !== '');
  if (filled.length === 0) return { prompt: '', start: 0, end: 0 };
  const first = filled[0];
  const last = filled[filled.length - 1];
  const from = textLines.indexOf(first);
  const to = textLines.indexOf(last);
  const prompt = textLines.slice(from, to + 1).map((line) => line.text.trimEnd()).join('\n').trim();
  const start = first.start + (first.text.length - first.text.trimStart().length);
  const end = last.start + last.text.trimEnd().length;
  return { prompt, start, end };
}

export function checkPromptText(entry: PromptEntry, section: Section, problems: PromptFileProblem[]): void {
  if (section.frontMatter && section.frontMatter.close === undefined) return; // already reported: the prompt is inside it
  if (entry.prompt === '') {
    const at = entry.header ?? { start: entry.start, end: entry.end };
    problems.push({ message: emptyPromptMessage(entry, section), start: at.start, end: at.end, field: 'prompt', severity: 'error' });
    return;
  }
  const checked = checkParam('prompt', entry.prompt);
  if ('problem' in checked) {
    problems.push({ message: checked.problem, start: entry.promptStart, end: entry.promptEnd, field: 'prompt', severity: 'error' });
  }
}

/** A title comes from a ### line: only an untitled prompt can be below a front matter or nothing. */
function emptyPromptMessage(entry: PromptEntry, section: Section): string {
  if (entry.title) return l10n.t('The prompt "{0}" is empty: write the text of the video below its ### line.', entry.title);
  if (entry.header) return l10n.t('The prompt is empty: write the text of the video below its ### line.');
  if (section.frontMatter) return l10n.t('The prompt is empty: write the text of the video below the front matter.');
  return l10n.t('The prompt is empty: write the text of the video.');
}
