import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockingProblems, parsePromptFile, type PromptFile, type PromptFileProblem } from '../../../src/prompt/promptFile';

function at(text: string, range: { start: number; end: number }): string {
  return text.slice(range.start, range.end);
}

function problemsOf(text: string, options = {}): { file: PromptFile; problems: PromptFileProblem[] } {
  const file = parsePromptFile(text, options);
  return { file, problems: file.problems };
}

function onlyProblem(text: string, options = {}): PromptFileProblem {
  const { problems } = problemsOf(text, options);
  assert.equal(problems.length, 1, JSON.stringify(problems, null, 1));
  return problems[0];
}

describe('prompt files: media keys', () => {
  it('reads paths, links and lists into media, in order, with where each value is', () => {
    const text = '---\nmodel: wan3.0-video\nreference_image: [./girl.png, "img/hat.png"]\nreference_video: https://example.com/a.mp4\n---\n图1 wears 图2 in Video 1.';
    const { file, problems } = problemsOf(text);
    assert.deepEqual(problems, []);
    const media = file.prompts[0].media;
    assert.deepEqual(media.map((m) => [m.type, m.source]), [
      ['reference_image', './girl.png'], ['reference_image', 'img/hat.png'], ['reference_video', 'https://example.com/a.mp4'],
    ]);
    assert.deepEqual(media.map((m) => at(text, m)), ['./girl.png', '"img/hat.png"', 'https://example.com/a.mp4']);
    assert.deepEqual(file.prompts[0].overrides, { model: 'wan3.0-video' }, 'media are not parameters');
  });

  it('wan2.7-r2v makes at most 10 s with a reference video, 15 s with images only: said at the duration', () => {
    const text = '---\nmodel: wan2.7-r2v\nduration: 12\nreference_video: ./him.mp4\n---\nHe waves.';
    const problem = onlyProblem(text);
    assert.equal(at(text, problem), '12');
    assert.match(problem.message, /at most 10 s with a reference_video.*duration: 10/);
    assert.deepEqual(problemsOf(text.replace('reference_video: ./him.mp4', 'reference_image: ./him.png')).problems, []);
    assert.deepEqual(problemsOf(text.replace('duration: 12', 'duration: 10')).problems, []);
  });

  it('a list item in block form; a voice for a wan2.7-r2v reference', () => {
    const text = '---\nmodel: wan2.7-r2v\nreference_image:\n  - { image: ./girl.png, voice: ./girl.wav }\n  - ./hat.png\n---\nThe girl puts on the hat.';
    const { file, problems } = problemsOf(text);
    assert.deepEqual(problems, []);
    const [girl, hat] = file.prompts[0].media;
    assert.deepEqual({ type: girl.type, source: girl.source, referenceVoice: girl.referenceVoice }, { type: 'reference_image', source: './girl.png', referenceVoice: './girl.wav' });
    assert.equal(at(text, girl), './girl.png');
    assert.equal(text.slice(girl.voiceStart, girl.voiceEnd), './girl.wav');
    assert.equal(hat.source, './hat.png');
    assert.equal(hat.referenceVoice, undefined);
  });

  it('a voice where the model takes none is an error at the voice', () => {
    const text = '---\nmodel: wan3.0-video\nreference_image: [{ image: ./girl.png, voice: ./girl.wav }]\n---\nA girl.';
    const problem = onlyProblem(text);
    assert.equal(at(text, problem), './girl.wav');
    assert.match(problem.message, /wan3\.0-video takes no voice for reference_image.*wan2\.7-r2v/);
  });

  it('values that are not a path or link are errors at the value', () => {
    const cases: [string, string, RegExp][] = [
      ['first_frame: data:image/png;base64,AAAA', 'data:image/png;base64,AAAA', /instead of a data: URI/],
      ['first_frame: ftp://host/a.png', 'ftp://host/a.png', /not a ftp: address/],
      ['first_frame: 5', '5', /as a path or an http\(s\):\/\/ link/],
      ['first_frame: ""', '""', /first_frame is empty/],
      ['first_frame: { picture: ./a.png }', './a.png', /"picture" is not a part of a first_frame item/],
    ];
    for (const [line, value, message] of cases) {
      const text = `---\nmodel: wan2.7-i2v\n${line}\n---\nA cat.`;
      const { problems } = problemsOf(text);
      const problem = problems.find((p) => p.field === 'first_frame');
      assert.ok(problem, `${line}: ${JSON.stringify(problems)}`);
      assert.equal(at(text, problem), value, line);
      assert.match(problem.message, message, line);
    }
    const link = '---\nmodel: wan3.0-video\nlink: ./page.html\n---\nA page.';
    assert.match(onlyProblem(link).message, /link is the http\(s\):\/\/ address of a public web page/);
    assert.deepEqual(parsePromptFile('---\nmodel: wan2.7-i2v\nfirst_frame: C:\\pics\\cat.png\n---\nA cat.').problems, [], 'a Windows path is a path');
  });

  it('a model that needs media: the real rules replace the old refusal, at the model it names', () => {
    let text = '---\nmodel: wan2.7-i2v\n---\nA cat.';
    let problem = onlyProblem(text);
    assert.equal(at(text, problem), 'wan2.7-i2v');
    assert.match(problem.message, /wan2\.7-i2v needs first_frame or first_clip: add it to the front matter, for example `first_frame: \.\/picture\.png`/);
    assert.deepEqual(parsePromptFile('---\nmodel: wan2.7-i2v\nfirst_frame: ./cat.png\n---\nA cat.').problems, []);
    assert.deepEqual(parsePromptFile('---\nmodel: wan2.7-i2v\nfirst_frame: ./cat.png\nlast_frame: ./dog.png\n---\nA cat.').problems, []);
    text = '---\nmodel: wan2.7-videoedit\n---\nMake it snow.';
    assert.match(onlyProblem(text).message, /needs video: .*`video: \.\/clip\.mp4`/);
    // From the setting: at the prompt.
    text = 'A cat.';
    problem = onlyProblem(text, { defaultModel: 'wan2.7-r2v' });
    assert.equal(at(text, problem), 'A cat.');
    assert.match(problem.message, /wan2\.7-r2v needs reference_image or reference_video/);
  });

  it('a model that takes no media, and a type the model does not take', () => {
    let text = '---\nfirst_frame: ./cat.png\n---\nA cat.';
    let problem = onlyProblem(text);
    assert.equal(at(text, problem), './cat.png');
    assert.match(problem.message, /wan2\.7-t2v takes no media: remove first_frame, or choose a model that takes it \(wan3\.0-video, .*wan2\.7-i2v/);
    text = '---\nmodel: wan2.7-i2v\nfirst_frame: ./cat.png\nreference_image: ./hat.png\n---\nA cat.';
    problem = onlyProblem(text);
    assert.equal(at(text, problem), './hat.png');
    assert.match(problem.message, /wan2\.7-i2v does not take reference_image/);
  });

  it('counts per type and together-limits, at the item beyond', () => {
    let text = '---\nmodel: wan2.7-i2v\nfirst_frame: [./a.png, ./b.png]\n---\nA cat.';
    let problem = onlyProblem(text);
    assert.equal(at(text, problem), './b.png');
    assert.match(problem.message, /takes at most 1 first_frame; this is number 2/);
    const six = [1, 2, 3, 4, 5, 6].map((n) => `./${n}.png`);
    text = `---\nmodel: wan2.7-r2v\nreference_image: [${six.slice(0, 3).join(', ')}]\nreference_video: [./a.mp4, ./b.mp4, ./c.mp4]\n---\nThem.`;
    problem = onlyProblem(text);
    assert.equal(at(text, problem), './c.mp4');
    assert.match(problem.message, /at most 5 of reference_image or reference_video together; this is number 6/);
    text = `---\nmodel: wan3.0-video\nreference_image: [${[...six, ...six.slice(0, 5)].join(', ')}]\n---\nThem.`;
    assert.equal(at(text, onlyProblem(text)), './5.png', 'the 11th of at most 10');
  });

  it('exclusive groups: Wan 3.0 frame mode vs reference mode, file vs link', () => {
    let text = '---\nmodel: wan3.0-video\nfirst_frame: ./a.png\nreference_image: ./b.png\n---\nA cat.';
    let problem = onlyProblem(text);
    assert.equal(at(text, problem), './b.png');
    assert.match(problem.message, /reference_image cannot go with first_frame in one wan3\.0-video request: the service accepts the task, then fails it/);
    text = '---\nmodel: wan3.0-video\nfile: ./notes.pdf\nlink: https://example.com/page\n---\nA talk.';
    problem = onlyProblem(text);
    assert.equal(at(text, problem), 'https://example.com/page');
    assert.match(problem.message, /link cannot go with file/);
  });

  it('a prompt inherits the file\'s media keys, overrides one, or drops it with an empty key', () => {
    const text = [
      '---', 'model: wan2.7-i2v', 'first_frame: ./cat.png', '---',
      '### One', 'A cat.',
      '### Two', '---', 'first_frame: ./dog.png', 'last_frame: ./end.png', '---', 'A dog.',
      '### Three', '---', 'model: wan2.7-t2v', 'first_frame:', '---', 'Text only.',
    ].join('\n');
    const { file, problems } = problemsOf(text);
    assert.deepEqual(problems, []);
    assert.deepEqual(file.prompts.map((p) => p.media.map((m) => m.source)), [['./cat.png'], ['./dog.png', './end.png'], []]);
  });

  it('inherited media a prompt\'s own model does not take are flagged at that model, not at the file\'s line', () => {
    const text = '---\nmodel: wan2.7-i2v\nfirst_frame: ./cat.png\n---\n### One\nA cat.\n### Two\n---\nmodel: wan2.7-t2v\n---\nA dog.';
    const { file, problems } = problemsOf(text);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(at(text, problems[0]), 'wan2.7-t2v');
    assert.equal(blockingProblems(file, file.prompts[0]).length, 0, 'the first prompt still goes');
    assert.equal(blockingProblems(file, file.prompts[1]).length, 1);
  });

  it('a missing media type under a file model, with several prompts, is flagged at each prompt\'s ### line', () => {
    const text = '---\nmodel: wan2.7-i2v\n---\n### One\n---\nfirst_frame: ./cat.png\n---\nA cat.\n### Two\nA dog.';
    const { file, problems } = problemsOf(text);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(at(text, problems[0]), '### Two');
    assert.equal(blockingProblems(file, file.prompts[0]).length, 0);
  });
});

describe('prompt files: references to media in the prompt text', () => {
  it('图1, Image 2, video 1, 音频1 point at the n-th reference of their type', () => {
    const text = '---\nmodel: wan3.0-video\nreference_image: [./girl.png, ./hat.png]\nreference_video: ./walk.mp4\nreference_audio: ./song.wav\n---\n图1 wears Image 2 and walks as in video 1, to 音频1.';
    const { file, problems } = problemsOf(text);
    assert.deepEqual(problems, []);
    const entry = file.prompts[0];
    assert.deepEqual(entry.mediaReferences.map((r) => [at(text, r), r.media === undefined ? undefined : entry.media[r.media].source]), [
      ['图1', './girl.png'], ['Image 2', './hat.png'], ['video 1', './walk.mp4'], ['音频1', './song.wav'],
    ]);
  });

  it('a reference to one that is not there is a warning at the words', () => {
    let text = '---\nmodel: wan3.0-video\nreference_image: ./girl.png\n---\nImage 1 meets 图2.';
    let problem = onlyProblem(text);
    assert.equal(problem.severity, 'warning');
    assert.equal(at(text, problem), '图2');
    assert.match(problem.message, /refers to reference 2 of reference_image, but this prompt has only 1/);
    text = '---\nmodel: wan3.0-video\n---\nAs in Video 1.';
    problem = onlyProblem(text);
    assert.match(problem.message, /this prompt has no reference_video/);
    assert.deepEqual(parsePromptFile('A man reads "Image 1" aloud.').problems, [], 'a model without references says nothing');
  });
});
