import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { examplePromptFile } from '../../../src/prompt/example';
import {
  blockingProblems, frontMatterAt, parsePromptFile, promptAt, videoCount, type PromptFile, type PromptFileProblem, type QuickFix,
} from '../../../src/prompt/promptFile';

/** The text a problem (or anything with start and end) points at. */
function at(text: string, range: { start: number; end: number }): string {
  return text.slice(range.start, range.end);
}

function errors(file: PromptFile): PromptFileProblem[] {
  return file.problems.filter((p) => p.severity === 'error');
}

/** The text after applying a quick fix's edits (last first, so offsets stay valid). */
function applyFix(text: string, fix: QuickFix): string {
  return [...fix.edits].sort((a, b) => b.start - a.start).reduce((out, edit) => out.slice(0, edit.start) + edit.text + out.slice(edit.end), text);
}

function onlyProblem(text: string, options = {}): PromptFileProblem {
  const { problems } = parsePromptFile(text, options);
  assert.equal(problems.length, 1, JSON.stringify(problems, null, 1));
  return problems[0];
}

function fixTitled(problem: PromptFileProblem, title: string): QuickFix {
  const fix = problem.fixes?.find((f) => f.title === title);
  assert.ok(fix, `no fix "${title}" among ${JSON.stringify(problem.fixes?.map((f) => f.title))}`);
  return fix;
}

describe('prompt file parser: one prompt', () => {
  it('reads front matter and prompt', () => {
    const text = '---\nresolution: 1080P\nratio: 9:16\nduration: 8\nseed: 42\nprompt_extend: false\nwatermark: true\nnegative_prompt: blurry\nmodel: wan2.7-t2v\n---\nA red fox in the snow.\n';
    const file = parsePromptFile(text);
    assert.deepEqual(file.problems, []);
    assert.equal(file.prompts.length, 1);
    const [entry] = file.prompts;
    assert.equal(entry.prompt, 'A red fox in the snow.');
    assert.equal(at(text, { start: entry.promptStart, end: entry.promptEnd }), 'A red fox in the snow.');
    assert.deepEqual(entry.overrides, {
      resolution: '1080P', ratio: '9:16', duration: 8, prompt_extend: false, watermark: true, negative_prompt: 'blurry', model: 'wan2.7-t2v',
    });
    assert.deepEqual(entry.seeds, [42]);
    assert.equal(entry.model, 'wan2.7-t2v');
  });

  it('takes a file without front matter as the prompt alone', () => {
    const file = parsePromptFile('\n  A quiet lake at dusk, mist over the water.\n\n');
    assert.deepEqual(file.problems, []);
    assert.deepEqual(file.prompts[0].overrides, {});
    assert.equal(file.prompts[0].prompt, 'A quiet lake at dusk, mist over the water.');
    assert.deepEqual(file.prompts[0].seeds, [undefined]);
  });

  it('reads 720p as 720P, with a warning and a quick fix to write it as the API does', () => {
    const text = '---\nresolution: 720p\n---\nA cat.';
    const file = parsePromptFile(text);
    assert.equal(file.prompts[0].overrides.resolution, '720P');
    const [problem] = file.problems;
    assert.equal(problem.severity, 'warning');
    assert.equal(at(text, problem), '720p');
    assert.equal(applyFix(text, fixTitled(problem, 'Change to 720P')), '---\nresolution: 720P\n---\nA cat.');
    assert.deepEqual(blockingProblems(file, file.prompts[0]), [], 'a warning does not stop the prompt');
  });

  it('points at the exact value of an invalid resolution', () => {
    const text = '---\nratio: 16:9\nresolution: 4K\n---\nA cat.';
    const problem = onlyProblem(text);
    assert.equal(at(text, problem), '4K');
    assert.equal(problem.field, 'resolution');
    assert.equal(problem.severity, 'error');
    assert.match(problem.message, /720P/);
    assert.match(problem.message, /1080P/);
  });

  it('rejects a quoted duration, says to drop the quotes and offers to', () => {
    const text = '---\nduration: "5"\n---\nA cat.';
    const problem = onlyProblem(text);
    assert.equal(at(text, problem), '"5"');
    assert.match(problem.message, /number/);
    assert.equal(applyFix(text, fixTitled(problem, 'Change to 5')), '---\nduration: 5\n---\nA cat.');
  });

  it('offers the nearest allowed duration and seed, and true for "true"', () => {
    let text = '---\nduration: 20\n---\nA cat.';
    assert.equal(applyFix(text, fixTitled(onlyProblem(text), 'Change to 15')), '---\nduration: 15\n---\nA cat.');
    text = '---\nduration: 1\n---\nA cat.';
    assert.equal(applyFix(text, fixTitled(onlyProblem(text), 'Change to 2')), '---\nduration: 2\n---\nA cat.');
    text = '---\nseed: -1\n---\nA cat.';
    assert.equal(applyFix(text, fixTitled(onlyProblem(text), 'Change to 0')), '---\nseed: 0\n---\nA cat.');
    text = '---\nwatermark: "TRUE"\n---\nA cat.';
    assert.equal(applyFix(text, fixTitled(onlyProblem(text), 'Change to true')), '---\nwatermark: true\n---\nA cat.');
  });

  it('reports every problem at once, each at its own place', () => {
    const text = '---\nduration: 20\nseed: -1\nratio: 2:1\nwatermark: yes please\n---\nA cat.';
    const { problems } = parsePromptFile(text);
    assert.deepEqual(problems.map((p) => at(text, p)), ['20', '-1', '2:1', 'yes please']);
    assert.deepEqual(problems.map((p) => p.field), ['duration', 'seed', 'ratio', 'watermark']);
  });

  it('names unknown keys, lists the allowed ones and offers the nearest', () => {
    const text = '---\nresolutoin: 720P\nprompt: hi\n---\nA cat.';
    const { problems } = parsePromptFile(text);
    assert.deepEqual(problems.map((p) => at(text, p)), ['resolutoin', 'prompt']);
    assert.match(problems[0].message, /Allowed keys: model, resolution/);
    assert.equal(applyFix(text, fixTitled(problems[0], 'Change to resolution')), '---\nresolution: 720P\nprompt: hi\n---\nA cat.');
    assert.match(problems[1].message, /below the closing ---/);
    assert.equal(problems[1].fixes, undefined);
  });

  it('reports a front matter that is never closed, and nothing else', () => {
    const file = parsePromptFile('---\nduration: 5\nA cat walking.');
    assert.equal(file.problems.length, 1);
    assert.match(file.problems[0].message, /never closed/);
    assert.equal(file.problems[0].start, 0);
    assert.equal(file.prompts[0].prompt, '');
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
    assert.match(onlyProblem('---\nduration: 5\nduration: 6\n---\nA cat.').message, /not valid YAML/);
  });

  it('reports front matter that is not key: value lines', () => {
    assert.match(onlyProblem('---\n- 720P\n---\nA cat.').message, /key: value/);
  });

  it('reports an empty prompt', () => {
    const problem = onlyProblem('---\nduration: 5\n---\n\n   \n');
    assert.equal(problem.field, 'prompt');
    assert.match(problem.message, /empty/);
  });

  it('reports a prompt over 5000 characters over the whole prompt', () => {
    const long = 'x'.repeat(5001);
    const text = `---\nduration: 5\n---\n${long}\n`;
    const problem = onlyProblem(text);
    assert.equal(at(text, problem), long);
    assert.match(problem.message, /5000/);
  });

  it('leaves an empty seed unset', () => {
    const file = parsePromptFile('---\nseed:\n---\nA cat.');
    assert.deepEqual(file.problems, []);
    assert.deepEqual(file.prompts[0].seeds, [undefined]);
  });

  it('handles Windows line endings', () => {
    const text = '---\r\nduration: 99\r\n---\r\nA cat.\r\nA dog.\r\n';
    const file = parsePromptFile(text);
    assert.equal(file.prompts[0].prompt, 'A cat.\nA dog.');
    assert.equal(at(text, file.problems[0]), '99');
  });

  it('takes a later --- line as prompt text, and warns that it is', () => {
    const text = 'A cat.\n---\nduration: 5\n---\n';
    const file = parsePromptFile(text);
    assert.deepEqual(file.prompts[0].overrides, {});
    assert.match(file.prompts[0].prompt, /^A cat\.\n---\nduration: 5/);
    assert.equal(errors(file).length, 0);
    assert.equal(file.problems.length, 1);
    assert.equal(file.problems[0].start, text.indexOf('---'));
    assert.match(file.problems[0].message, /### line/);
  });

  it('leaves comment lines out of the prompt, and allows comments before the front matter', () => {
    const text = '# Storyboard, take 2\n---\nduration: 4 # short\n---\n# not part of the prompt\nA cat\n  # nor this\non a wall.\n';
    const file = parsePromptFile(text);
    assert.deepEqual(file.problems, []);
    assert.equal(file.prompts[0].prompt, 'A cat\non a wall.');
    assert.equal(file.prompts[0].overrides.duration, 4);
  });

  it('issue 11 case 24: resolves YAML aliases, within the parser\'s limits, and reports a number as written', () => {
    const aliased = parsePromptFile('---\nduration: &d 6\nseeds: [*d, 8]\nnegative_prompt: &n blurry\nprompt_extend: false\n---\nA cat.');
    assert.deepEqual(aliased.problems, []);
    assert.deepEqual(aliased.prompts[0].seeds, [6, 8]);
    const direct = parsePromptFile('---\nnegative_prompt: &n blurry\nduration: &d 6\n---\n### A\n---\nduration: 7\n---\nA cat.');
    assert.deepEqual(direct.problems, []);
    const scalar = parsePromptFile('---\nseed: &s 7\nduration: &d 6\nresolution: 1080P\n---\nA cat.\n');
    assert.deepEqual(scalar.problems, []);
    const viaAlias = parsePromptFile('---\nseed: &n 9\nvariants: *n\n---\nA cat.\n');
    assert.deepEqual(viaAlias.problems, []);
    assert.deepEqual(viaAlias.prompts[0].seeds, [9, 10, 11, 12, 13, 14, 15, 16, 17]);
    const huge = onlyProblem('---\nduration: 1e400\n---\nA cat.');
    assert.match(huge.message, /1e400/);
    assert.doesNotMatch(huge.message, /null|Infinity/);
    const hugeSeed = parsePromptFile('---\nseeds: [1, 1e400]\n---\nA cat.').problems;
    assert.match(hugeSeed.map((p) => p.message).join(' '), /1e400/);
    const bomb = ['---', 'a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'seeds: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]', '---', 'A cat.'].join('\n');
    assert.match(parsePromptFile(bomb).problems.map((p) => p.message).join(' '), /seeds repeats its aliases too often/);
  });

  it('ignores a byte order mark', () => {
    const file = parsePromptFile('\ufeff---\nduration: 6\n---\nA cat.');
    assert.deepEqual(file.problems, []);
    assert.equal(file.prompts[0].overrides.duration, 6);
  });

  it('says an empty file has an empty prompt', () => {
    const file = parsePromptFile('');
    assert.equal(errors(file).length, 1);
    assert.match(errors(file)[0].message, /empty/);
  });
});

describe('prompt file parser: several prompts', () => {
  const storyboard = [
    '# Storyboard',              // 0
    '---',
    'resolution: 1080P',
    'duration: 6',
    '---',
    '',
    '### Paper boat',            // 6
    'A paper boat in a gutter.',
    '',
    '### Lighthouse',            // 9
    '---',
    'duration: 10',
    'watermark: true',
    '---',
    'A lighthouse at night.',
    'Rain in the beam.',
    '',
    '###',                       // 17
    'A fox.',
  ].join('\n');

  it('splits the file at ### lines, each prompt with the file\'s defaults and its own', () => {
    const file = parsePromptFile(storyboard);
    assert.deepEqual(file.problems, []);
    assert.deepEqual(file.prompts.map((p) => p.title), ['Paper boat', 'Lighthouse', undefined]);
    assert.deepEqual(file.prompts.map((p) => p.prompt), ['A paper boat in a gutter.', 'A lighthouse at night.\nRain in the beam.', 'A fox.']);
    assert.deepEqual(file.prompts.map((p) => p.overrides), [
      { resolution: '1080P', duration: 6 },
      { resolution: '1080P', duration: 10, watermark: true },
      { resolution: '1080P', duration: 6 },
    ]);
    assert.deepEqual(file.prompts.map((p) => p.index), [0, 1, 2]);
    assert.equal(videoCount(file), 3);
  });

  it('gives each prompt its section, header and prompt ranges', () => {
    const file = parsePromptFile(storyboard);
    const [boat, lighthouse] = file.prompts;
    assert.equal(at(storyboard, boat.header!), '### Paper boat');
    assert.equal(at(storyboard, { start: lighthouse.promptStart, end: lighthouse.promptEnd }), 'A lighthouse at night.\nRain in the beam.');
    assert.ok(at(storyboard, lighthouse).startsWith('### Lighthouse\n---'));
    assert.equal(at(storyboard, { start: lighthouse.frontMatter!.bodyStart, end: lighthouse.frontMatter!.bodyEnd }), 'duration: 10\nwatermark: true\n');
    assert.equal(at(storyboard, file.defaults!), '---\nresolution: 1080P\nduration: 6\n---');
    assert.equal(promptAt(file, storyboard.indexOf('Rain'))?.title, 'Lighthouse');
    assert.equal(frontMatterAt(file, storyboard.indexOf('watermark'))?.entry?.title, 'Lighthouse');
    assert.equal(frontMatterAt(file, storyboard.indexOf('resolution'))?.entry, undefined, 'the file\'s own front matter');
    assert.equal(frontMatterAt(file, storyboard.indexOf('A fox')), undefined);
  });

  it('issue 11 case 22: a Markdown heading of four or more #s is a comment, never a new prompt, and says so', () => {
    const text = '### Storm\nA ship in a storm.\n#### Scene note\nWaves over the bow.\n##### deeper\n### Calm\nThe sea at dawn.';
    const file = parsePromptFile(text);
    assert.deepEqual(file.prompts.map((p) => [p.title, p.prompt]), [['Storm', 'A ship in a storm.\nWaves over the bow.'], ['Calm', 'The sea at dawn.']]);
    const warnings = file.problems.filter((p) => p.severity === 'warning');
    assert.deepEqual(warnings.map((p) => at(text, p)), ['####', '#####']);
    assert.match(warnings[0].message, /comment.*exactly ###/);
    assert.equal(applyFix(text, fixTitled(warnings[0], 'Start a new prompt here')).split('\n')[2], '### Scene note');
    assert.equal(errors(file).length, 0);
  });

  it('issue 11 case 22: one rule for every run of #s at a line start: ### starts a prompt, any other run is a comment', () => {
    for (const [line, starts] of [['# a', false], ['## a', false], ['### a', true], ['###a', true], ['###', true], ['#### a', false], ['  ### a', false]] as const) {
      const file = parsePromptFile(`A cat.\n${line}\nA dog.`);
      assert.equal(file.prompts.length, starts ? 2 : 1, line);
    }
    const indented = parsePromptFile('A cat.\n  ### Dog\nA dog.');
    assert.match(indented.problems[0]?.message ?? '', /comment/);
  });

  it('takes text before the first ### line as a prompt too', () => {
    const file = parsePromptFile('A cat.\n### Dog\nA dog.');
    assert.deepEqual(file.prompts.map((p) => [p.title, p.prompt]), [[undefined, 'A cat.'], ['Dog', 'A dog.']]);
  });

  it('reports an empty prompt at its ### line, by name', () => {
    const text = '### First\nA cat.\n### Second\n# only a comment\n### Third\nA dog.';
    const problem = onlyProblem(text);
    assert.equal(at(text, problem), '### Second');
    assert.match(problem.message, /"Second" is empty/);
  });

  it('ends an unclosed front matter at the next ### line, so the prompts after it still count', () => {
    const text = '### One\n---\nduration: 5\nA cat.\n### Two\nA dog.';
    const file = parsePromptFile(text);
    assert.equal(file.problems.length, 1);
    assert.match(file.problems[0].message, /opened on line 2 is never closed/);
    assert.equal(file.prompts[1].prompt, 'A dog.');
    assert.deepEqual(blockingProblems(file, file.prompts[1]), []);
    assert.equal(blockingProblems(file, file.prompts[0]).length, 1);
  });

  it('a problem in one prompt does not block another; one in the file\'s front matter blocks all', () => {
    let file = parsePromptFile('### A\n---\nduration: 99\n---\nA cat.\n### B\nA dog.');
    assert.equal(blockingProblems(file, file.prompts[0]).length, 1);
    assert.equal(blockingProblems(file, file.prompts[1]).length, 0);
    file = parsePromptFile('---\nduration: 99\n---\n### A\nA cat.\n### B\nA dog.');
    assert.equal(blockingProblems(file, file.prompts[0]).length, 1);
    assert.equal(blockingProblems(file, file.prompts[1]).length, 1);
  });

  it('parses the README\'s examples without a problem', () => {
    const readme = readFileSync(path.resolve(__dirname, '../../../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Prompt files'), readme.indexOf('### Commands'));
    const examples = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parsePromptFile(m[1]));
    assert.equal(examples.length, 3);
    for (const file of examples) assert.deepEqual(file.problems, []);
    assert.deepEqual(examples[0].prompts.map((p) => p.seeds.length), [1, 3, 2]);
    assert.equal(examples[1].prompts[0].model, 'wan2.6-t2v');
    assert.deepEqual(examples[2].prompts.map((p) => p.media.map((m) => m.type)), [
      ['reference_image', 'reference_image'], ['reference_image', 'reference_image'], ['first_frame', 'last_frame'],
    ]);
  });

  it('parses the New Prompt File example without a problem: 1 + 3 videos', () => {
    const file = parsePromptFile(examplePromptFile());
    assert.deepEqual(file.problems, []);
    assert.deepEqual(file.prompts.map((p) => p.title), ['Paper boat', 'Lighthouse, three takes']);
    assert.deepEqual(file.prompts.map((p) => p.seeds), [[undefined], [7, 8, 9]]);
  });
});

describe('prompt file parser: variants and seeds', () => {
  it('variants makes several videos with random seeds, or counting up from seed', () => {
    assert.deepEqual(parsePromptFile('---\nvariants: 3\n---\nA cat.').prompts[0].seeds, [undefined, undefined, undefined]);
    assert.deepEqual(parsePromptFile('---\nvariants: 3\nseed: 40\n---\nA cat.').prompts[0].seeds, [40, 41, 42]);
  });

  it('seeds lists one seed per video', () => {
    const file = parsePromptFile('---\nseeds: [5, 1, 99]\n---\nA cat.');
    assert.deepEqual(file.problems, []);
    assert.deepEqual(file.prompts[0].seeds, [5, 1, 99]);
    assert.equal('seeds' in file.prompts[0].overrides, false, 'seeds is not an API field');
  });

  it('a prompt\'s seeds replace the file\'s seed and variants, and its seed or variants the file\'s seeds', () => {
    const text = '---\nvariants: 2\nseed: 10\n---\n### A\nA cat.\n### B\n---\nseeds: [7]\n---\nA dog.\n### C\n---\nseed: 100\n---\nA cow.\n### D\n---\nvariants: 1\n---\nAn owl.';
    const file = parsePromptFile(text);
    assert.deepEqual(file.problems, []);
    assert.deepEqual(file.prompts.map((p) => p.seeds), [[10, 11], [7], [100, 101], [10]]);
    const listed = parsePromptFile('---\nseeds: [1, 2]\n---\n### A\nA cat.\n### B\n---\nvariants: 3\n---\nA dog.');
    assert.deepEqual(listed.prompts.map((p) => p.seeds), [[1, 2], [undefined, undefined, undefined]]);
  });

  it('reports seeds with seed or variants in one front matter, with a fix that removes the other', () => {
    let text = '---\nseed: 4\nseeds: [1, 2]\n---\nA cat.';
    let problem = onlyProblem(text);
    assert.equal(at(text, problem), 'seeds');
    assert.equal(applyFix(text, fixTitled(problem, 'Remove seed')), '---\nseeds: [1, 2]\n---\nA cat.');
    text = '---\nseeds: [1, 2]\nvariants: 3\n---\nA cat.';
    problem = onlyProblem(text);
    assert.equal(at(text, problem), 'variants');
    assert.equal(applyFix(text, fixTitled(problem, 'Remove variants')), '---\nseeds: [1, 2]\n---\nA cat.');
  });

  it('checks each seed of the list at its place, and warns of a repeated one', () => {
    const text = '---\nseeds: [1, "2", -3, 1]\n---\nA cat.';
    const { problems } = parsePromptFile(text);
    assert.deepEqual(problems.map((p) => [at(text, p), p.severity]), [['"2"', 'error'], ['-3', 'error'], ['1', 'warning']]);
    assert.equal(problems[2].start, text.lastIndexOf('1'));
    assert.equal(applyFix(text, fixTitled(problems[0], 'Change to 2')), '---\nseeds: [1, 2, -3, 1]\n---\nA cat.');
    assert.match(onlyProblem('---\nseeds: 5\n---\nA cat.').message, /list/);
    assert.match(onlyProblem('---\nseeds: []\n---\nA cat.').message, /from 1 to 20/);
  });

  it('variants is a whole number from 1 to 20', () => {
    let text = '---\nvariants: 50\n---\nA cat.';
    const problem = onlyProblem(text);
    assert.equal(at(text, problem), '50');
    assert.match(problem.message, /from 1 to 20/);
    assert.equal(applyFix(text, fixTitled(problem, 'Change to 20')), '---\nvariants: 20\n---\nA cat.');
    text = '---\nvariants: "3"\n---\nA cat.';
    assert.equal(applyFix(text, fixTitled(onlyProblem(text), 'Change to 3')), '---\nvariants: 3\n---\nA cat.');
    assert.match(onlyProblem('---\nvariants: 0\n---\nA cat.').message, /from 1 to 20/);
  });

  it('variants counting up from seed must stay within the largest seed', () => {
    const text = '---\nseed: 2147483646\nvariants: 3\n---\nA cat.';
    const problem = onlyProblem(text);
    assert.equal(at(text, problem), '2147483646');
    assert.match(problem.message, /largest seed/);
  });
});

describe('prompt file parser: the rules follow the model', () => {
  it('wan2.7 takes resolution and ratio; a size gets fixes to remove it or write resolution and ratio', () => {
    const text = '---\nsize: 1280*720\n---\nA cat.';
    const problem = onlyProblem(text);
    assert.equal(at(text, problem), '1280*720');
    assert.match(problem.message, /wan2\.7-t2v does not take size.*resolution.*ratio/);
    assert.equal(applyFix(text, fixTitled(problem, 'Remove size')), '---\n---\nA cat.');
    assert.equal(applyFix(text, fixTitled(problem, 'Change to resolution: 720P and ratio: 16:9')), '---\nresolution: 720P\nratio: 16:9\n---\nA cat.');
    assert.match(onlyProblem('---\nshot_type: multi\n---\nA cat.').message, /only wan2\.6-t2v/);
  });

  it('wan2.6 takes size and shot_type, durations 5, 10 or 15, and no resolution', () => {
    const ok = parsePromptFile('---\nmodel: wan2.6-t2v\nsize: 1080*1920\nshot_type: multi\nduration: 10\naudio_url: https://example.com/a.mp3\n---\nA cat.');
    assert.deepEqual(ok.problems, []);
    assert.deepEqual(ok.prompts[0].overrides, { model: 'wan2.6-t2v', size: '1080*1920', shot_type: 'multi', duration: 10, audio_url: 'https://example.com/a.mp3' });
    let text = '---\nmodel: wan2.6-t2v\nresolution: 720P\n---\nA cat.';
    let problem = onlyProblem(text);
    assert.equal(at(text, problem), '720P');
    assert.match(problem.message, /does not take resolution: it takes size/);
    assert.equal(applyFix(text, fixTitled(problem, 'Remove resolution')), '---\nmodel: wan2.6-t2v\n---\nA cat.');
    text = '---\nmodel: wan2.6-t2v\nduration: 7\n---\nA cat.';
    problem = onlyProblem(text);
    assert.match(problem.message, /5, 10 or 15 seconds for wan2\.6-t2v/);
    assert.equal(applyFix(text, fixTitled(problem, 'Change to 5')), '---\nmodel: wan2.6-t2v\nduration: 5\n---\nA cat.');
    text = '---\nmodel: wan2.6-t2v\nsize: 1280x720\n---\nA cat.';
    problem = onlyProblem(text);
    assert.match(problem.message, /written with a \*/);
    assert.equal(applyFix(text, fixTitled(problem, 'Change to 1280*720')), '---\nmodel: wan2.6-t2v\nsize: 1280*720\n---\nA cat.');
  });

  it('warns that shot_type: multi needs prompt_extend on', () => {
    const text = '---\nmodel: wan2.6-t2v\nshot_type: multi\nprompt_extend: false\n---\nA cat.';
    const problem = onlyProblem(text);
    assert.equal(problem.severity, 'warning');
    assert.equal(at(text, problem), 'multi');
  });

  it('wan2.5 takes 5 or 10 s and 480P sizes, with sound', () => {
    const ok = parsePromptFile('---\nmodel: wan2.5-t2v-preview\nsize: 832*480\nduration: 10\naudio_url: https://example.com/a.wav\n---\nA cat.');
    assert.deepEqual(ok.problems, []);
    const text = '---\nmodel: wan2.5-t2v-preview\nduration: 8\n---\nA cat.';
    const problem = onlyProblem(text);
    assert.match(problem.message, /5 or 10 seconds/);
    assert.equal(applyFix(text, fixTitled(problem, 'Change to 10')), '---\nmodel: wan2.5-t2v-preview\nduration: 10\n---\nA cat.');
    assert.match(onlyProblem('---\nmodel: wan2.5-t2v-preview\nshot_type: single\n---\nA cat.').message, /does not take shot_type/);
  });

  it('wan2.2 and wan2.1 are silent and fixed at 5 s, each with its own sizes', () => {
    assert.deepEqual(parsePromptFile('---\nmodel: wan2.2-t2v-plus\nsize: 1440*1440\nduration: 5\n---\nA cat.').problems, []);
    let text = '---\nmodel: wan2.2-t2v-plus\nduration: 10\n---\nA cat.';
    let problem = onlyProblem(text);
    assert.match(problem.message, /always makes 5-second videos/);
    assert.equal(applyFix(text, fixTitled(problem, 'Remove duration')), '---\nmodel: wan2.2-t2v-plus\n---\nA cat.');
    text = '---\nmodel: wan2.2-t2v-plus\naudio_url: https://example.com/a.mp3\n---\nA cat.';
    problem = onlyProblem(text);
    assert.match(problem.message, /silent/);
    assert.equal(applyFix(text, fixTitled(problem, 'Remove audio_url')), '---\nmodel: wan2.2-t2v-plus\n---\nA cat.');
    assert.match(onlyProblem('---\nmodel: wan2.2-t2v-plus\nsize: 1280*720\n---\nA cat.').message, /not one wan2\.2-t2v-plus makes; use one of 832\*480/);
    assert.deepEqual(parsePromptFile('---\nmodel: wanx2.1-t2v-turbo\nsize: 832*480\n---\nA cat.').problems, []);
    assert.match(onlyProblem('---\nmodel: wanx2.1-t2v-plus\nsize: 832*480\n---\nA cat.').message, /not one wanx2\.1-t2v-plus makes/);
    assert.match(onlyProblem('---\nmodel: wanx2.1-t2v-turbo\nsize: 1920*1080\n---\nA cat.').message, /not one/);
  });

  it('warns of an unknown model (sent as written), offers the nearest, refuses a media model, and writes a name as the API does', () => {
    let text = '---\nmodel: wan2.7-t2x\n---\nA cat.';
    let problem = onlyProblem(text);
    assert.equal(at(text, problem), 'wan2.7-t2x');
    assert.equal(problem.severity, 'warning');
    assert.match(problem.message, /sent as written.*Known models: wan3\.0-video, wan3\.0-video-prime, wan2\.7-t2v/);
    assert.equal(applyFix(text, fixTitled(problem, 'Change to wan2.7-t2v')), '---\nmodel: wan2.7-t2v\n---\nA cat.');
    assert.equal(parsePromptFile(text).prompts[0].model, 'wan2.7-t2x');
    text = '---\nmodel: wan2.7-i2v\n---\nA cat.';
    problem = onlyProblem(text);
    assert.equal(at(text, problem), 'wan2.7-i2v');
    assert.equal(problem.severity, 'error');
    assert.match(problem.message, /wan2\.7-i2v needs first_frame or first_clip/);
    text = '---\nmodel: WAN2.6-T2V\n---\nA cat.';
    const file = parsePromptFile(text);
    problem = onlyProblem(text);
    assert.equal(problem.severity, 'warning');
    assert.equal(file.prompts[0].model, 'wan2.6-t2v');
  });

  it('wan3.0: 480P, adaptive, 2–30 s or -1, audio: false; the values are sent as written and typed', () => {
    const ok = parsePromptFile('---\nmodel: wan3.0-video\nduration: 20\nresolution: 480P\n---\nA cat.');
    assert.deepEqual(ok.problems, []);
    assert.deepEqual(ok.prompts[0].overrides, { model: 'wan3.0-video', duration: 20, resolution: '480P' });
    const all = parsePromptFile('---\nmodel: wan3.0-video\nratio: adaptive\nduration: -1\naudio: false\n---\nA cat.');
    assert.deepEqual(all.problems, []);
    assert.deepEqual(all.prompts[0].overrides, { model: 'wan3.0-video', ratio: 'adaptive', duration: -1, audio: false });
    assert.deepEqual(parsePromptFile('---\nmodel: wan3.0-video\nduration: 30\n---\nA cat.').problems, []);
    assert.match(onlyProblem('---\nmodel: wan3.0-video\nduration: 31\n---\nA cat.').message, /2–30 or -1 \(the model chooses\)/);
    let text = '---\naudio: false\n---\nA cat.';
    let problem = onlyProblem(text);
    assert.match(problem.message, /wan2\.7-t2v does not take audio/);
    assert.equal(applyFix(text, fixTitled(problem, 'Remove audio')), '---\n---\nA cat.');
    text = '---\nmodel: wan3.0-video\nnegative_prompt: blurry\n---\nA cat.';
    const file = parsePromptFile(text);
    problem = onlyProblem(text);
    assert.equal(problem.severity, 'error');
    assert.equal(at(text, problem), 'blurry');
    assert.match(problem.message, /wan3\.0-video does not take negative_prompt/);
    assert.equal(blockingProblems(file, file.prompts[0]).length, 1, 'nothing is sent');
    assert.equal(applyFix(text, fixTitled(problem, 'Remove negative_prompt')), '---\nmodel: wan3.0-video\n---\nA cat.');
  });

  it('a media model from the setting is flagged at the prompt; a dated snapshot follows its base model', () => {
    const text = 'A cat.';
    const problem = onlyProblem(text, { defaultModel: 'wan2.7-videoedit' });
    assert.equal(at(text, problem), 'A cat.');
    assert.match(problem.message, /wan2\.7-videoedit needs video/);
    const snapshot = parsePromptFile('---\nmodel: wan2.7-t2v-2026-04-25\nsize: 1280*720\n---\nA cat.');
    assert.equal(snapshot.prompts[0].model, 'wan2.7-t2v-2026-04-25');
    assert.match(snapshot.problems.map((p) => p.message).join(), /wan2\.7-t2v does not take size/);
  });

  it('follows the default model (the setting) when the file names none', () => {
    const text = '---\nresolution: 720P\n---\nA cat.';
    assert.match(onlyProblem(text, { defaultModel: 'wan2.6-t2v' }).message, /wan2\.6-t2v does not take resolution/);
    assert.equal(parsePromptFile('A cat.', { defaultModel: 'wan2.2-t2v-plus' }).prompts[0].model, 'wan2.2-t2v-plus');
    assert.deepEqual(parsePromptFile(text, { defaultModel: 'my-reseller-alias' }).problems, [], 'an unknown setting is checked against what any model allows');
  });

  it('a prompt choosing another model is checked against what the file sets for every prompt', () => {
    const text = '---\nresolution: 1080P\nduration: 12\n---\n### Old model\n---\nmodel: wan2.5-t2v-preview\n---\nA cat.\n### Fine\nA dog.';
    const file = parsePromptFile(text);
    const problems = errors(file);
    assert.equal(problems.length, 2);
    for (const problem of problems) assert.equal(at(text, problem), 'wan2.5-t2v-preview');
    assert.match(problems.map((p) => p.message).join('\n'), /does not take resolution, which the file's front matter sets for every prompt \(line 2\)/);
    assert.match(problems.map((p) => p.message).join('\n'), /5 or 10 seconds.*line 3\): give this prompt a duration of its own/);
    assert.deepEqual(blockingProblems(file, file.prompts[1]), []);
    // Its own duration settles the clash.
    const fixed = parsePromptFile('---\nduration: 12\n---\n### Old model\n---\nmodel: wan2.5-t2v-preview\nduration: 10\n---\nA cat.');
    assert.deepEqual(fixed.problems, []);
  });
});
