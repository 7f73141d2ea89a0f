// Editing a long prompt file: what the parser reuses from the last parse must land where the text now is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePromptFile } from '../../../src/prompt/promptFile';

function shot(n: number, duration: number): string {
  return `### Shot ${n}\n---\nseed: ${n}\nduration: ${duration}\n---\nA paper boat in storm number ${n}.\n\n`;
}

function problemTexts(text: string): string[] {
  return parsePromptFile(text).problems.filter((p) => p.severity === 'error').map((p) => `${text.slice(p.start, p.end)}@${p.start}`);
}

describe('prompt file parser: editing a long file', () => {
  it('keeps each underline on its value when text above it changes', () => {
    const body = [shot(1, 5), shot(2, 20), shot(3, 5), shot(4, 30)].join('');
    const before = problemTexts(body);
    assert.equal(before.length, 2, before.join(', '));
    const inserted = '# a note added at the top\n';
    const after = problemTexts(inserted + body);
    assert.deepEqual(after, before.map((p) => {
      const [value, start] = p.split('@');
      return `${value}@${Number(start) + inserted.length}`;
    }));
  });

  it('sees a change inside a front matter it has read before', () => {
    const body = [shot(1, 5), shot(2, 5)].join('');
    assert.deepEqual(problemTexts(body), []);
    assert.equal(problemTexts(body.replace('duration: 5\n---\nA paper boat in storm number 2', 'duration: 25\n---\nA paper boat in storm number 2')).length, 1);
    assert.deepEqual(problemTexts(body), [], 'and back again');
  });
});
