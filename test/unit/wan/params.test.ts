import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkParam, DEFAULT_MODEL, LIMITS, PARAM_DEFAULTS, promptInputProblem, toCreateBody, validateParams, type ParamField } from '../../../src/wan/params';
import { validParams } from '../assertions';

function problemOf(field: ParamField, value: unknown): string {
  const result = checkParam(field, value);
  assert.ok('problem' in result, `${field} = ${JSON.stringify(value)} should be a problem`);
  return result.problem;
}

function valueOf(field: ParamField, value: unknown): unknown {
  const result = checkParam(field, value);
  assert.ok('value' in result, `${field} = ${JSON.stringify(value)} should be fine, got ${'problem' in result ? result.problem : ''}`);
  return result.value;
}

describe('params', () => {
  test('the defaults are 720P, 16:9, 5 s, prompt extension on, no watermark', () => {
    assert.deepEqual(PARAM_DEFAULTS, { resolution: '720P', ratio: '16:9', duration: 5, promptExtend: true, watermark: false });
  });

  test('a prompt alone gives complete parameters with the defaults and the default model', () => {
    const result = validateParams({ prompt: '  a red fox in snow  ' });
    assert.deepEqual(result, {
      params: { model: DEFAULT_MODEL, prompt: 'a red fox in snow', resolution: '720P', ratio: '16:9', duration: 5, promptExtend: true, watermark: false },
      problems: [],
    });
  });

  test('every field is read, and resolution is normalised to upper case', () => {
    const result = validateParams({
      model: 'wan2.7-t2v',
      prompt: 'a fox',
      negative_prompt: 'blur',
      audio_url: 'https://example.com/a.mp3',
      resolution: '1080p',
      ratio: '9:16',
      duration: 15,
      prompt_extend: false,
      watermark: true,
      seed: 0,
    });
    assert.deepEqual(result.params, {
      model: 'wan2.7-t2v',
      prompt: 'a fox',
      negativePrompt: 'blur',
      audioUrl: 'https://example.com/a.mp3',
      resolution: '1080P',
      ratio: '9:16',
      duration: 15,
      promptExtend: false,
      watermark: true,
      seed: 0,
    });
    assert.equal(valueOf('resolution', '720p'), '720P');
  });

  test('every problem is reported at once, one per field', () => {
    const result = validateParams({
      model: 5,
      prompt: '   ',
      negative_prompt: 'x'.repeat(LIMITS.negativePromptMax + 1),
      audio_url: 'ftp://example.com/a.mp3',
      resolution: '4K',
      ratio: '2:1',
      duration: '5',
      prompt_extend: 'yes',
      watermark: 1,
      seed: -1,
    });
    assert.equal(result.params, undefined);
    assert.deepEqual(
      result.problems.map((p) => p.field),
      ['model', 'prompt', 'negative_prompt', 'audio_url', 'resolution', 'ratio', 'duration', 'prompt_extend', 'watermark', 'seed'],
    );
    for (const problem of result.problems) assert.ok(problem.message.length > 10, problem.message);
  });

  test('a duration written as a string says to drop the quotes', () => {
    assert.equal(problemOf('duration', '5'), 'duration must be a number, not a string — write 5 without quotes.');
    assert.match(problemOf('seed', '42'), /not a string — write 42 without quotes/);
    assert.match(problemOf('prompt_extend', 'true'), /not a string — write true without quotes/);
    assert.match(problemOf('duration', 'five'), /whole number of seconds from 2 to 15/);
  });

  test('duration is a whole number from 2 to 15', () => {
    assert.equal(valueOf('duration', 2), 2);
    assert.equal(valueOf('duration', 15), 15);
    for (const bad of [1, 16, 5.5, -5, Number.NaN, true]) assert.match(problemOf('duration', bad), /from 2 to 15/);
  });

  test('seed is a whole number from 0 to 2147483647', () => {
    assert.equal(valueOf('seed', 0), 0);
    assert.equal(valueOf('seed', LIMITS.seedMax), LIMITS.seedMax);
    assert.match(problemOf('seed', LIMITS.seedMax + 1), /from 0 to 2147483647/);
    assert.match(problemOf('seed', 1.5), /whole number/);
  });

  test('resolution and ratio name what is allowed; a ratio read as a number asks for quotes', () => {
    assert.match(problemOf('resolution', '4K'), /720P, 1080P/);
    assert.match(problemOf('resolution', 720), /720P, 1080P/);
    assert.match(problemOf('ratio', '2:1'), /16:9, 9:16, 1:1, 4:3, 3:4/);
    assert.match(problemOf('ratio', 969), /in quotes/);
    for (const ratio of ['16:9', '9:16', '1:1', '4:3', '3:4']) assert.equal(valueOf('ratio', ratio), ratio);
  });

  test('the prompt is required, not blank, and at most 5000 characters (an emoji counts once)', () => {
    assert.match(problemOf('prompt', undefined), /required/);
    assert.match(problemOf('prompt', ''), /empty/);
    assert.match(problemOf('prompt', ' \n\t '), /empty/);
    assert.match(problemOf('prompt', 42), /text/);
    assert.equal(valueOf('prompt', 'a'.repeat(LIMITS.promptMax)), 'a'.repeat(LIMITS.promptMax));
    assert.match(problemOf('prompt', 'a'.repeat(LIMITS.promptMax + 1)), /5001 characters long; at most 5000/);
    assert.equal(valueOf('prompt', '🦊'.repeat(LIMITS.promptMax)), '🦊'.repeat(LIMITS.promptMax));
  });

  test('case 25: the prompt input box counts characters as everything else does: 5000 emoji or CJK-extension characters pass', () => {
    assert.equal(promptInputProblem('🦊'.repeat(LIMITS.promptMax)), undefined);
    assert.equal(promptInputProblem('𠀀'.repeat(LIMITS.promptMax)), undefined);
    assert.equal(promptInputProblem(''), undefined, 'an empty box says nothing while the user has not typed yet');
    assert.match(promptInputProblem('🦊'.repeat(LIMITS.promptMax + 1)) ?? '', /5001 characters long; at most 5000/);
  });

  test('optional fields may be absent; a blank negative prompt counts as absent', () => {
    for (const field of ['model', 'negative_prompt', 'audio_url', 'resolution', 'ratio', 'duration', 'prompt_extend', 'watermark', 'seed'] as const) {
      assert.deepEqual(checkParam(field, undefined), { value: undefined }, field);
    }
    assert.equal(valueOf('negative_prompt', '   '), undefined);
    assert.equal(validateParams({ prompt: 'p', negative_prompt: '  ' }).params?.negativePrompt, undefined);
  });

  test('audio_url must be an http(s) link; booleans must be booleans', () => {
    assert.equal(valueOf('audio_url', 'http://example.com/a.wav'), 'http://example.com/a.wav');
    assert.match(problemOf('audio_url', 'not a link'), /wav or mp3/);
    assert.match(problemOf('watermark', 'no'), /true or false/);
    assert.equal(valueOf('watermark', false), false);
  });

  test('the create body follows the API and leaves out absent optional fields', () => {
    const minimal = validateParams({ prompt: 'a fox' });
    assert.ok(minimal.params);
    assert.deepEqual(toCreateBody(minimal.params), {
      model: 'wan2.7-t2v',
      input: { prompt: 'a fox' },
      parameters: { resolution: '720P', ratio: '16:9', duration: 5, prompt_extend: true, watermark: false },
    });
    const full = validateParams({ prompt: 'a fox', negative_prompt: 'blur', audio_url: 'https://example.com/a.mp3', seed: 42, duration: 10 });
    assert.ok(full.params);
    assert.deepEqual(toCreateBody(full.params), {
      model: 'wan2.7-t2v',
      input: { prompt: 'a fox', negative_prompt: 'blur', audio_url: 'https://example.com/a.mp3' },
      parameters: { resolution: '720P', ratio: '16:9', duration: 10, prompt_extend: true, watermark: false, seed: 42 },
    });
  });
});

describe('media in the create body', () => {
  test('carries the sent media in the order of the inputs, and none when there are none', () => {
    const params = validParams({ model: 'wan3.0-video', prompt: 'Image 1 walks into Image 2' });
    assert.equal(toCreateBody(params).input.media, undefined);
    const media = [
      { type: 'reference_image' as const, url: 'data:image/png;base64,AAAA' },
      { type: 'reference_image' as const, url: 'oss://dashscope-instant/abc/hat.png' },
    ];
    assert.deepEqual(toCreateBody(params, media).input.media, media);
  });
});

describe('durations that depend on the media', () => {
  test('wan2.7-r2v with a reference video takes at most 10 s, whether the prompt or a setting asks for more', () => {
    const withVideo = [{ type: 'reference_video' as const, source: './him.mp4' }];
    const result = validateParams({ model: 'wan2.7-r2v', prompt: 'He waves.', duration: 12 }, withVideo);
    assert.deepEqual(result.problems.map((p) => p.field), ['duration']);
    assert.match(result.problems[0].message, /at most 10 s with a reference_video/);
    assert.deepEqual(validateParams({ model: 'wan2.7-r2v', prompt: 'He waves.', duration: 12 }, [{ type: 'reference_image', source: './him.png' }]).problems, []);
    assert.deepEqual(validateParams({ model: 'wan2.7-r2v', prompt: 'He waves.' }, withVideo).problems, [], 'its default, 5 s, fits');
  });
});
