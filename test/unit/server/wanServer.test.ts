// The test server's own checks: it must refuse, accept or fail each model's create body as the real service does
// (wan-models.md, wan-api.md), or the tests that run against it prove nothing. Raw HTTP, nothing from src/.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WanTestServer } from '../../server/wanServer';

type Json = Record<string, unknown>;

let server: WanTestServer;

before(async () => {
  server = await WanTestServer.start();
});

beforeEach(() => {
  server.defaultScript = { pendingMs: 0, runningMs: 0 };
});

after(async () => {
  await server.close();
});

async function create(body: unknown): Promise<{ status: number; answer: Json }> {
  const response = await fetch(`${server.baseUrl}/services/aigc/video-generation/video-synthesis`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json', 'x-dashscope-async': 'enable' },
    body: JSON.stringify(body),
  });
  return { status: response.status, answer: (await response.json()) as Json };
}

/** The query's answer as text (to see how numbers are written) and as JSON. */
async function query(taskId: string): Promise<{ text: string; answer: Json }> {
  const response = await fetch(`${server.baseUrl}/tasks/${taskId}`, { headers: { authorization: 'Bearer sk-test' } });
  assert.equal(response.status, 200);
  const text = await response.text();
  return { text, answer: JSON.parse(text) as Json };
}

async function accepted(body: unknown): Promise<string> {
  const { status, answer } = await create(body);
  assert.equal(status, 200, JSON.stringify(answer));
  return (answer.output as Json).task_id as string;
}

async function refused(body: unknown, field: string | RegExp): Promise<Json> {
  const { status, answer } = await create(body);
  assert.equal(status, 400, `expected 400 for ${JSON.stringify(body).slice(0, 200)}`);
  assert.equal(answer.code, 'InvalidParameter');
  assert.match(String(answer.message), typeof field === 'string' ? new RegExp(field.replace(/[.[\]]/g, '\\$&')) : field);
  return answer;
}

/** The task's answer once it has ended (the scripts here take no time). */
async function ended(taskId: string): Promise<{ text: string; answer: Json; output: Json }> {
  for (let i = 0; ; i++) {
    const result = await query(taskId);
    const output = (result.answer.output as Json | undefined) ?? {};
    if (!['PENDING', 'RUNNING'].includes(String(output.task_status))) return { ...result, output };
    assert.ok(i < 100, `task ${taskId} did not end`);
    await sleep(10);
  }
}

async function failsAfterCreate(body: unknown, message: RegExp): Promise<void> {
  const { output } = await ended(await accepted(body));
  assert.equal(output.task_status, 'FAILED');
  assert.equal(output.code, 'InvalidParameter');
  assert.match(String(output.message), message);
}

const t2v = (parameters: Json = {}, input: Json = {}) => ({ model: 'wan2.7-t2v', input: { prompt: 'A fox', ...input }, parameters });
const wan30 = (parameters: Json = {}, input: Json = {}) => ({ model: 'wan3.0-video', input: { prompt: 'A fox', ...input }, parameters });
const image = (type: string) => ({ type, url: 'https://example.com/a.png' });
const video = (type: string) => ({ type, url: 'https://example.com/a.mp4' });

describe('the test server knows every model row', () => {
  test('a valid body for each model is accepted and the task succeeds', async () => {
    const bodies: Json[] = [
      wan30({ resolution: '480P', ratio: 'adaptive', duration: 20, audio: false, prompt_extend: true, watermark: false, seed: 7 }),
      { model: 'wan3.0-video-prime', input: { prompt: 'A fox' }, parameters: { resolution: '720P', ratio: '9:16', duration: -1 } },
      t2v({ resolution: '720P', ratio: '16:9', duration: 15, prompt_extend: true, watermark: false, seed: 7 }, { negative_prompt: 'blur', audio_url: 'https://example.com/a.mp3' }),
      { ...t2v({ duration: 2 }), model: 'wan2.7-t2v-2026-04-25' },
      { model: 'wan2.7-i2v', input: { media: [image('first_frame'), image('last_frame')] }, parameters: { resolution: '1080P', duration: 5 } },
      { model: 'wan2.7-r2v', input: { prompt: 'Image 1 walks', media: [image('reference_image')] }, parameters: { ratio: '1:1', duration: 15 } },
      { model: 'wan2.7-videoedit', input: { prompt: 'Make it snow', media: [video('video'), image('reference_image')] }, parameters: { duration: 0, audio_setting: 'origin' } },
      { model: 'wan2.6-t2v', input: { prompt: 'A fox' }, parameters: { size: '1920*1080', duration: 15, shot_type: 'multi', prompt_extend: true } },
      { model: 'wan2.5-t2v-preview', input: { prompt: 'A fox' }, parameters: { size: '832*480', duration: 10 } },
      { model: 'wan2.2-t2v-plus', input: { prompt: 'A fox' }, parameters: { size: '1080*1920' } },
      { model: 'wanx2.1-t2v-turbo', input: { prompt: 'A fox' }, parameters: { size: '480*832', duration: 5 } },
      { model: 'wanx2.1-t2v-plus', input: { prompt: 'A fox' }, parameters: { size: '1280*720' } },
    ];
    for (const body of bodies) {
      const { output } = await ended(await accepted(body));
      assert.equal(output.task_status, 'SUCCEEDED', `${String(body.model)}: ${JSON.stringify(output)}`);
    }
  });

  test('an unknown model is 404 ModelNotFound at create, as is a snapshot of no known model', async () => {
    for (const model of ['nosuch-model', 'wan9.9-t2v', 'wan2.7-t2v-latest', 'wan9.9-t2v-2026-04-25']) {
      const { status, answer } = await create({ ...t2v(), model });
      assert.equal(status, 404, model);
      assert.equal(answer.code, 'ModelNotFound');
    }
  });

  describe('refuses at create (400 InvalidParameter, naming the field)', () => {
    test('wrong types: a duration as a string, a seed as a string, a boolean as text, a prompt as a number', async () => {
      await refused(t2v({ duration: '5' }), 'parameters.duration');
      await refused(wan30({ duration: '10' }), 'parameters.duration');
      await refused(t2v({ seed: '7' }), 'parameters.seed');
      await refused(t2v({ watermark: 'false' }), 'parameters.watermark');
      await refused(wan30({ audio: 'false' }), 'parameters.audio');
      await refused(t2v({ resolution: 720 }), 'parameters.resolution');
      await refused(t2v({}, { prompt: 42 }), 'input.prompt');
    });

    test('Wan 3.0: duration 2–30 or -1, resolution 480P/720P/1080P, ratio adaptive or the five', async () => {
      for (const duration of [1, 31, 0, 5.5, -2]) await refused(wan30({ duration }), 'parameters.duration');
      for (const duration of [2, 30, -1]) await accepted(wan30({ duration }));
      await refused(wan30({ resolution: '720p' }), 'parameters.resolution');
      await refused(wan30({ resolution: '2K' }), 'parameters.resolution');
      await refused(wan30({ ratio: '21:9' }), 'parameters.ratio');
      await accepted(wan30({ resolution: '480P', ratio: '3:4' }));
    });

    test('wan2.7-t2v: duration 2–15, 720P or 1080P, five ratios (no adaptive, no 480P)', async () => {
      for (const duration of [1, 16, -1, 5.5]) await refused(t2v({ duration }), 'parameters.duration');
      await refused(t2v({ resolution: '480P' }), 'parameters.resolution');
      await refused(t2v({ ratio: 'adaptive' }), 'parameters.ratio');
      await refused({ ...t2v({ duration: 20 }), model: 'wan2.7-t2v-2026-04-25' }, 'parameters.duration');
    });

    test('size models: their own sizes and durations', async () => {
      const old = (model: string, parameters: Json) => ({ model, input: { prompt: 'A fox' }, parameters });
      await refused(old('wan2.6-t2v', { size: '832*480' }), 'parameters.size');
      await refused(old('wan2.6-t2v', { size: '1280x720' }), 'parameters.size');
      await refused(old('wan2.6-t2v', { duration: 7 }), 'parameters.duration');
      await refused(old('wan2.6-t2v', { shot_type: 'several' }), 'parameters.shot_type');
      await refused(old('wan2.5-t2v-preview', { duration: 15 }), 'parameters.duration');
      await refused(old('wan2.2-t2v-plus', { size: '1280*720' }), 'parameters.size');
      await refused(old('wan2.2-t2v-plus', { duration: 10 }), 'parameters.duration');
      await refused(old('wanx2.1-t2v-turbo', { size: '1920*1080' }), 'parameters.size');
      await refused(old('wanx2.1-t2v-plus', { size: '832*480' }), 'parameters.size');
    });

    test('a missing prompt where the model requires one; Wan 3.0 wants a prompt or media', async () => {
      await refused({ model: 'wan2.7-t2v', input: {}, parameters: {} }, 'input.prompt');
      await refused({ model: 'wan2.7-t2v', input: { prompt: '  ' } }, 'input.prompt');
      await refused({ model: 'wan2.6-t2v' }, 'input.prompt');
      await refused({ model: 'wan2.7-r2v', input: { media: [image('reference_image')] } }, 'input.prompt');
      await refused({ model: 'wan3.0-video', input: {} }, /input\.prompt.*input\.media/);
      await accepted({ model: 'wan3.0-video', input: { media: [image('reference_image')] } });
      await accepted({ model: 'wan2.7-videoedit', input: { media: [video('video')] } });
    });

    test('a prompt too long: refused by the 2.7 media models; cut by wan2.7-t2v (5000) and Wan 3.0 (20 000), as the docs say', async () => {
      await refused({ model: 'wan2.7-i2v', input: { prompt: 'x'.repeat(5001), media: [image('first_frame')] } }, 'input.prompt');
      await accepted({ model: 'wan2.7-i2v', input: { prompt: 'x'.repeat(5000), media: [image('first_frame')] } });
      await refused({ model: 'wan2.7-r2v', input: { prompt: 'x'.repeat(5001), media: [image('reference_image')] } }, 'input.prompt');
      await refused(t2v({}, { negative_prompt: 'x'.repeat(501) }), 'input.negative_prompt');
      const cut = await ended(await accepted(t2v({}, { prompt: `${'a'.repeat(5000)}bbb` })));
      assert.equal(cut.output.orig_prompt, 'a'.repeat(5000));
      const cut30 = await ended(await accepted(wan30({}, { prompt: `${'a'.repeat(20_000)}bbb` })));
      assert.equal(cut30.output.orig_prompt, 'a'.repeat(20_000));
    });

    test('media models without input.media, or with media they do not take', async () => {
      await refused({ model: 'wan2.7-i2v', input: { prompt: 'A fox' } }, 'input.media');
      await refused({ model: 'wan2.7-r2v', input: { prompt: 'A fox' } }, 'input.media');
      await refused({ model: 'wan2.7-videoedit', input: { prompt: 'Make it snow', media: [] } }, 'input.media');
      await refused({ model: 'wan2.7-i2v', input: { media: [video('reference_video')] } }, 'input.media[0].type');
      await refused({ model: 'wan2.7-i2v', input: { media: [{ type: 'first_frame' }] } }, 'input.media[0].url');
      await refused({ model: 'wan3.0-video', input: { media: [image('driving_audio')] } }, 'input.media[0].type');
      await refused({ model: 'wan2.7-i2v', input: { media: 'https://example.com/a.png' } }, 'input.media');
    });

    test('per-model media rules: r2v takes at most 10 s with a reference video; videoedit 0 or 2–10 s', async () => {
      const r2v = (media: Json[], duration: number) => ({ model: 'wan2.7-r2v', input: { prompt: 'Video 1 dances', media }, parameters: { duration } });
      await refused(r2v([video('reference_video')], 12), 'parameters.duration');
      await accepted(r2v([video('reference_video')], 10));
      await accepted(r2v([image('reference_image')], 12));
      const edit = (parameters: Json) => ({ model: 'wan2.7-videoedit', input: { media: [video('video')] }, parameters });
      await refused(edit({ duration: 11 }), 'parameters.duration');
      await refused(edit({ duration: 1 }), 'parameters.duration');
      await refused(edit({ audio_setting: 'keep' }), 'parameters.audio_setting');
      await accepted(edit({ duration: 10, audio_setting: 'auto' }));
    });
  });

  describe('accepts at create, then the task FAILS with InvalidParameter (as the service does)', () => {
    test('a 2.6 field sent to wan2.7-t2v: size, shot_type', async () => {
      await failsAfterCreate(t2v({ size: '1280*720' }), /parameters\.size/);
      await failsAfterCreate(t2v({ shot_type: 'multi' }), /parameters\.shot_type/);
    });

    test('negative_prompt sent to Wan 3.0; audio_url too (its sound comes in media)', async () => {
      await failsAfterCreate(wan30({}, { negative_prompt: 'blur' }), /input\.negative_prompt/);
      await failsAfterCreate({ ...wan30({}, { negative_prompt: 'blur' }), model: 'wan3.0-video-prime' }, /input\.negative_prompt/);
      await failsAfterCreate(wan30({}, { audio_url: 'https://example.com/a.mp3' }), /input\.audio_url/);
    });

    test('ratio sent to wan2.7-i2v (its output follows the input)', async () => {
      await failsAfterCreate({ model: 'wan2.7-i2v', input: { media: [image('first_frame')] }, parameters: { ratio: '16:9' } }, /parameters\.ratio/);
    });

    test('resolution and ratio sent to a size model; media to a text-only model', async () => {
      await failsAfterCreate({ model: 'wan2.6-t2v', input: { prompt: 'A fox' }, parameters: { resolution: '720P', ratio: '16:9' } }, /parameters\.resolution/);
      await failsAfterCreate(t2v({}, { media: [image('first_frame')] }), /input\.media/);
    });

    test('Wan 3.0 frame mode mixed with reference mode: "The two modes are mutually exclusive"', async () => {
      await failsAfterCreate(wan30({}, { media: [image('first_frame'), image('reference_image')] }), /The two modes are mutually exclusive/);
      await failsAfterCreate(wan30({}, { media: [image('last_frame'), { type: 'link', url: 'https://example.com/' }] }), /The two modes are mutually exclusive/);
      const { output } = await ended(await accepted(wan30({}, { media: [image('first_frame'), image('last_frame')] })));
      assert.equal(output.task_status, 'SUCCEEDED');
    });

    test('the failure follows the task\'s script: queued first, and it can still be cancelled while queued', async () => {
      server.scriptNextTasks({ pendingMs: 60_000 });
      const id = await accepted(t2v({ size: '1280*720' }));
      assert.equal(((await query(id)).answer.output as Json).task_status, 'PENDING');
      const cancel = await fetch(`${server.baseUrl}/tasks/${id}/cancel`, { method: 'POST', headers: { authorization: 'Bearer sk-test' } });
      assert.equal(cancel.status, 200);
      assert.equal(((await query(id)).answer.output as Json).task_status, 'CANCELED');
    });
  });

  describe('answers in either vocabulary, per task or per server', () => {
    async function statuses(script: Parameters<WanTestServer['scriptNextTasks']>[0], body: Json = t2v()): Promise<unknown[]> {
      server.scriptNextTasks(script);
      const id = await accepted(body);
      const seen: unknown[] = [];
      for (let i = 0; i < 200; i++) {
        const { answer } = await query(id);
        const word = (answer.output as Json | undefined)?.task_status ?? answer.status;
        if (seen.at(-1) !== word) seen.push(word);
        if (!/^(pending|running|queued|processing)$/i.test(String(word))) break;
        await sleep(10);
      }
      return seen;
    }

    // Phases long enough that a query lands in each on a loaded machine (60 ms phases were missed in CI).
    test('native by default: PENDING, RUNNING, SUCCEEDED in output.task_status', async () => {
      assert.deepEqual(await statuses({ pendingMs: 500, runningMs: 500 }), ['PENDING', 'RUNNING', 'SUCCEEDED']);
    });

    test('APIYI\'s words in output.task_status, as written or in another case', async () => {
      assert.deepEqual(await statuses({ pendingMs: 500, runningMs: 500, words: 'apiyi' }), ['queued', 'processing', 'completed']);
      assert.deepEqual(await statuses({ pendingMs: 0, runningMs: 0, words: 'apiyi', wordCase: 'title' }), ['Completed']);
      assert.deepEqual(await statuses({ pendingMs: 0, runningMs: 0, outcome: 'FAILED', words: 'apiyi', wordCase: 'upper' }), ['FAILED']);
      assert.deepEqual(await statuses({ pendingMs: 0, runningMs: 0, outcome: 'FAILED', words: 'apiyi', wordCase: 'title' }), ['Failed']);
      assert.deepEqual(await statuses({ pendingMs: 0, runningMs: 0, words: 'native', wordCase: 'lower' }), ['succeeded']);
    });

    test('the `status` shape speaks APIYI\'s words unless told otherwise', async () => {
      assert.deepEqual(await statuses({ pendingMs: 0, runningMs: 0, shape: 'status' }), ['completed']);
      assert.deepEqual(await statuses({ pendingMs: 0, runningMs: 0, shape: 'status', wordCase: 'title' }), ['Completed']);
      assert.deepEqual(await statuses({ pendingMs: 0, runningMs: 0, shape: 'status', words: 'native' }), ['SUCCEEDED']);
    });

    test('a cancelled task reads `cancelled` in APIYI\'s words, `CANCELED` in the service\'s', async () => {
      for (const [words, expected] of [['apiyi', 'Cancelled'], ['native', 'Canceled']] as const) {
        server.scriptNextTasks({ pendingMs: 60_000, words, wordCase: 'title' });
        const id = await accepted(t2v());
        const cancel = await fetch(`${server.baseUrl}/tasks/${id}/cancel`, { method: 'POST', headers: { authorization: 'Bearer sk-test' } });
        assert.equal(cancel.status, 200);
        assert.equal(((await query(id)).answer.output as Json).task_status, expected);
      }
    });

    test('per server: the default script\'s vocabulary holds for every task not scripted on its own', async () => {
      server.defaultScript = { pendingMs: 0, runningMs: 0, words: 'apiyi', wordCase: 'title' };
      for (let i = 0; i < 2; i++) assert.equal((await ended(await accepted(t2v()))).output.task_status, 'Completed');
    });
  });

  describe('SUCCEEDED usage, as the docs show it', () => {
    test('Wan 3.0: duration a float (5.0 by default), fps 30, input and output durations, SR and ratio', async () => {
      const { text, answer } = await ended(await accepted(wan30({ resolution: '720P' })));
      assert.match(text, /"duration":5\.0[,}]/);
      assert.match(text, /"output_video_duration":5\.0[,}]/);
      assert.deepEqual(answer.usage, { duration: 5, fps: 30, input_video_duration: 0, output_video_duration: 5, video_count: 1, ratio: '16:9', SR: '720' });
    });

    test('Wan 3.0: the length the model chose (-1), as the task\'s script says', async () => {
      server.scriptNextTasks({ pendingMs: 0, runningMs: 0, outputSeconds: 10.04 });
      const { text, answer } = await ended(await accepted(wan30({ duration: -1, ratio: '9:16' })));
      assert.match(text, /"duration":10\.04[,}]/);
      assert.equal((answer.usage as Json).ratio, '9:16');
      assert.equal((answer.usage as Json).SR, 1080);
    });

    test('wan2.7-t2v: whole seconds, no fps', async () => {
      const { text, answer } = await ended(await accepted(t2v({ duration: 10 })));
      assert.match(text, /"duration":10,/);
      assert.deepEqual(answer.usage, { duration: 10, input_video_duration: 0, output_video_duration: 10, video_count: 1, ratio: '16:9', SR: 1080 });
    });
  });

  test('records every request it received, refused ones too', async () => {
    const before = server.requestsTo('create').length;
    await refused(t2v({ duration: '5' }), 'parameters.duration');
    const sent = server.requestsTo('create').slice(before);
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0].json, t2v({ duration: '5' }));
  });
});
