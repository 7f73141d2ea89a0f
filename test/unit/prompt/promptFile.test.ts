import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePromptFile } from '../../../src/prompt/promptFile';

/** The text a problem points at. */
function at(text: string, problem: { start: number; end: number }): string {
  return text.slice(problem.start, problem.end);
}

describe('prompt file parser', () => {
  it('reads front matter and prompt', () => {
    const text = '---\nresolution: 1080P\nratio: 9:16\nduration: 8\nseed: 42\nprompt_extend: false\nwatermark: true\nnegative_prompt: blurry\nmodel: wan2.7-t2v\n---\nA red fox in the snow.\n';
    const parsed = parsePromptFile(text);
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.prompt, 'A red fox in the snow.');
    assert.equal(at(text, { start: parsed.promptStart, end: parsed.promptEnd }), 'A red fox in the snow.');
    assert.deepEqual(parsed.overrides, {
      resolution: '1080P', ratio: '9:16', duration: 8, seed: 42, prompt_extend: false, watermark: true, negative_prompt: 'blurry', model: 'wan2.7-t2v',
    });
  });

  it('takes a file without front matter as the prompt alone', () => {
    const parsed = parsePromptFile('\n  A quiet lake at dusk, mist over the water.\n\n');
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.overrides, {});
    assert.equal(parsed.prompt, 'A quiet lake at dusk, mist over the water.');
  });

  it('normalises 720p to 720P', () => {
    assert.equal(parsePromptFile('---\nresolution: 720p\n---\nA cat.').overrides.resolution, '720P');
  });

  it('points at the exact value of an invalid resolution', () => {
    const text = '---\nratio: 16:9\nresolution: 4K\n---\nA cat.';
    const { problems } = parsePromptFile(text);
    assert.equal(problems.length, 1);
    assert.equal(at(text, problems[0]), '4K');
    assert.equal(problems[0].field, 'resolution');
    assert.match(problems[0].message, /720P/);
    assert.match(problems[0].message, /1080P/);
  });

  it('rejects a quoted duration and says to drop the quotes', () => {
    const text = '---\nduration: "5"\n---\nA cat.';
    const { problems } = parsePromptFile(text);
    assert.equal(problems.length, 1);
    assert.equal(at(text, problems[0]), '"5"');
    assert.match(problems[0].message, /number/);
  });

  it('reports every problem at once, each at its own place', () => {
    const text = '---\nduration: 20\nseed: -1\nratio: 2:1\nwatermark: yes please\n---\nA cat.';
    const { problems } = parsePromptFile(text);
    assert.deepEqual(problems.map((p) => at(text, p)), ['20', '-1', '2:1', 'yes please']);
    assert.deepEqual(problems.map((p) => p.field), ['duration', 'seed', 'ratio', 'watermark']);
  });

  it('names unknown keys and lists the allowed ones', () => {
    const text = '---\nresolutoin: 720P\nprompt: hi\n---\nA cat.';
    const { problems } = parsePromptFile(text);
    assert.deepEqual(problems.map((p) => at(text, p)), ['resolutoin', 'prompt']);
    assert.match(problems[0].message, /Allowed keys: model, resolution/);
    assert.match(problems[1].message, /below the closing ---/);
  });

  it('reports a front matter that is never closed', () => {
    const { problems, prompt } = parsePromptFile('---\nduration: 5\nA cat walking.');
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /never closed/);
    assert.equal(problems[0].start, 0);
    assert.equal(prompt, '');
  });

  it('reports broken YAML with its position', () => {
    const text = '---\nduration: [5\n---\nA cat.';
    const { problems } = parsePromptFile(text);
    assert.ok(problems.length >= 1);
    assert.match(problems[0].message, /not valid YAML/);
    const frontMatterEnd = text.indexOf('\n---', 4);
    assert.ok(problems[0].start >= 4 && problems[0].end <= frontMatterEnd, `problem at ${problems[0].start}-${problems[0].end}, front matter ends at ${frontMatterEnd}`);
  });

  it('reports a duplicate key', () => {
    const { problems } = parsePromptFile('---\nduration: 5\nduration: 6\n---\nA cat.');
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /not valid YAML/);
  });

  it('reports front matter that is not key: value lines', () => {
    const { problems } = parsePromptFile('---\n- 720P\n---\nA cat.');
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /key: value/);
  });

  it('reports an empty prompt', () => {
    const { problems } = parsePromptFile('---\nduration: 5\n---\n\n   \n');
    assert.equal(problems.length, 1);
    assert.equal(problems[0].field, 'prompt');
    assert.match(problems[0].message, /empty/);
  });

  it('reports a prompt over 5000 characters over the whole prompt', () => {
    const long = 'x'.repeat(5001);
    const text = `---\nduration: 5\n---\n${long}\n`;
    const { problems } = parsePromptFile(text);
    assert.equal(problems.length, 1);
    assert.equal(at(text, problems[0]), long);
    assert.match(problems[0].message, /5000/);
  });

  it('leaves an empty seed unset', () => {
    const parsed = parsePromptFile('---\nseed:\n---\nA cat.');
    assert.deepEqual(parsed.problems, []);
    assert.equal('seed' in parsed.overrides, false);
  });

  it('handles Windows line endings', () => {
    const text = '---\r\nduration: 99\r\n---\r\nA cat.\r\n';
    const parsed = parsePromptFile(text);
    assert.equal(parsed.prompt, 'A cat.');
    assert.equal(at(text, parsed.problems[0]), '99');
  });

  it('does not treat a later --- line as front matter', () => {
    const parsed = parsePromptFile('A cat.\n---\nduration: 5\n---\n');
    assert.deepEqual(parsed.overrides, {});
    assert.match(parsed.prompt, /^A cat\./);
  });
});
