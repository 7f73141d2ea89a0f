// The quick fixes a problem in a front matter offers, and the problems that carry them.
import * as l10n from '@vscode/l10n';
import { clamp } from '../common/math';
import { hasFixedDuration, MODELS, nearestDuration, rulesFor } from '../wan/models';
import { isNumberText, LIMITS, RATIOS, takesField, type ParamField } from '../wan/params';
import { PROMPT_FILE_KEYS, type FrontMatterField, type PromptFileKey, type PromptFileProblem, type QuickFix } from './promptFileTypes';

const BOOLEAN_TEXT = /^\s*(true|false)\s*$/i;

export function fixesFor(key: ParamField, field: FrontMatterField, model: string): QuickFix[] | undefined {
  const value = field.value;
  const rules = rulesFor(model);
  const fixes: QuickFix[] = [];
  if (typeof value === 'string' && ['duration', 'seed'].includes(key) && isNumberText(value)) {
    fixes.push(replace(field, value.trim()));
  }
  if (typeof value === 'string' && ['prompt_extend', 'watermark', 'audio'].includes(key) && BOOLEAN_TEXT.test(value)) {
    fixes.push(replace(field, value.trim().toLowerCase()));
  }
  if (key === 'duration' && typeof value === 'number' && Number.isFinite(value)) {
    const nearest = nearestDuration(rules, value);
    fixes.push(hasFixedDuration(rules) ? remove(field) : replace(field, String(nearest)));
  }
  if (key === 'seed' && typeof value === 'number' && Number.isFinite(value)) {
    fixes.push(replace(field, String(clamp(Math.round(value), 0, LIMITS.seedMax))));
  }
  if (key === 'size' && typeof value === 'string') {
    const starred = value.trim().replace(/\s*[xX×]\s*/, '*');
    if (rules.sizes.some((option) => option.size === starred)) fixes.push(replace(field, starred));
    if (takesField(rules, 'resolution') && takesField(rules, 'ratio')) {
      const known = MODELS.flatMap((m) => m.sizes).find((option) => option.size === starred);
      if (known && rules.resolutions.includes(known.tier)) {
        fixes.push(replaceLine(
          l10n.t('Change to resolution: {0} and ratio: {1}', known.tier, known.ratio),
          field,
          [`resolution: ${known.tier}`, `ratio: ${quoteRatio(known.ratio)}`],
        ));
      }
    }
  }
  if (!takesField(rules, key)) fixes.push(remove(field));
  return fixes.length > 0 ? fixes : undefined;
}

function quoteRatio(ratio: string): string {
  return (RATIOS as readonly string[]).includes(ratio) ? ratio : JSON.stringify(ratio);
}

export function unknownKey(field: FrontMatterField): PromptFileProblem {
  const closest = closestOf(field.key.toLowerCase(), PROMPT_FILE_KEYS, 3);
  const fixes = closest && field.key !== 'prompt'
    ? [{ title: changeTo(closest), edits: [{ start: field.keyStart, end: field.keyEnd, text: closest }] }]
    : undefined;
  const message = field.key === 'prompt'
    ? l10n.t('Unknown key "{0}". Allowed keys: {1}. The prompt itself goes below the closing ---.', field.key, PROMPT_FILE_KEYS.join(', '))
    : l10n.t('Unknown key "{0}". Allowed keys: {1}.', field.key, PROMPT_FILE_KEYS.join(', '));
  return { message, start: field.keyStart, end: field.keyEnd, severity: 'error', fixes };
}

export function at(field: FrontMatterField, part: 'key' | 'value', message: string, key: PromptFileKey, fixes?: QuickFix[], severity: 'error' | 'warning' = 'error'): PromptFileProblem {
  const [start, end] = part === 'key' ? [field.keyStart, field.keyEnd] : [field.valueStart, field.valueEnd];
  const problem: PromptFileProblem = { message, start, end, field: key, severity };
  if (fixes && fixes.length > 0) problem.fixes = fixes;
  return problem;
}

export function changeTo(text: string): string {
  return l10n.t('Change to {0}', text);
}

/** "Change to <text>": the field's value becomes `text`. */
export function replace(field: FrontMatterField, text: string): QuickFix {
  return { title: changeTo(text), edits: [{ start: field.valueStart, end: field.valueEnd, text }] };
}

/** "Remove <key>": the field's whole line goes. */
export function remove(field: FrontMatterField): QuickFix {
  return { title: l10n.t('Remove {0}', field.key), edits: [{ start: field.lineStart, end: field.lineEnd, text: '' }] };
}


/** Replaces the key's whole line with other `key: value` lines, at the same indentation. */
function replaceLine(title: string, field: FrontMatterField, lines: string[]): QuickFix {
  const indent = ' '.repeat(field.keyStart - field.lineStart);
  const ending = field.lineEnd > field.valueEnd ? '\n' : '';
  return { title, edits: [{ start: field.lineStart, end: field.lineEnd, text: lines.map((line) => indent + line).join('\n') + ending }] };
}

/** The candidate nearest to `word` by edit distance, if within `maxDistance`. */
export function closestOf(word: string, candidates: readonly string[], maxDistance: number): string | undefined {
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
