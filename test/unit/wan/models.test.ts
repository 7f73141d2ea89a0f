import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { keyDoc, keysFor, valueSuggestions } from '../../../src/prompt/keys';
import { PROMPT_FILE_KEYS } from '../../../src/prompt/promptFile';
import { describeDurations, findModel, MODEL_IDS, MODELS, nearestDuration, rulesFor, type ModelRules } from '../../../src/wan/models';
import { checkParam, checkSetting, defaultsForModel, toCreateBody, validateParams } from '../../../src/wan/params';

describe('models', () => {
  test('one row per model, found by name whatever its case; a dated snapshot follows its base row; an unknown one has no row', () => {
    assert.deepEqual(MODEL_IDS, [
      'wan3.0-video', 'wan3.0-video-prime', 'wan2.7-t2v', 'wan2.7-i2v', 'wan2.7-r2v', 'wan2.7-videoedit',
      'wan2.6-t2v', 'wan2.5-t2v-preview', 'wan2.2-t2v-plus', 'wanx2.1-t2v-turbo', 'wanx2.1-t2v-plus',
    ]);
    assert.equal(findModel(' WAN2.6-T2V ')?.id, 'wan2.6-t2v');
    assert.equal(findModel('wan2.7-i2v')?.id, 'wan2.7-i2v');
    assert.equal(findModel('wan2.7-t2v-2026-04-25')?.id, 'wan2.7-t2v');
    assert.equal(findModel('wan2.7-t2v-preview'), undefined, 'only a -YYYY-MM-DD suffix is a snapshot');
    assert.equal(findModel('some-alias'), undefined);
    assert.equal(rulesFor(undefined).id, 'wan2.7-t2v');
  });

  test('durations per model, and the nearest allowed one', () => {
    assert.deepEqual(MODEL_IDS.map((id) => describeDurations(rulesFor(id))), [
      '2–30 or -1 (the model chooses)', '2–30 or -1 (the model chooses)', '2–15', '2–15', '2–15', "2–10 or 0 (the input's length)",
      '5, 10 or 15', '5 or 10', '5', '5', '5',
    ]);
    assert.equal(nearestDuration(rulesFor('wan2.7-t2v'), 40), 15);
    assert.equal(nearestDuration(rulesFor('wan2.5-t2v-preview'), 7), 5);
    assert.equal(nearestDuration(rulesFor('wan2.5-t2v-preview'), 8), 10);
    assert.equal(nearestDuration(rulesFor('wan2.6-t2v'), 13), 15);
  });

  test('a field the model does not take is a problem that names the model', () => {
    assert.match((checkParam('size', '1280*720', 'wan2.7-t2v') as { problem: string }).problem, /wan2\.7-t2v does not take size/);
    assert.match((checkParam('resolution', '720P', 'wan2.2-t2v-plus') as { problem: string }).problem, /wan2\.2-t2v-plus does not take resolution/);
    assert.match((checkParam('audio_url', 'https://example.com/a.mp3', 'wanx2.1-t2v-plus') as { problem: string }).problem, /silent/);
    assert.deepEqual(checkParam('audio_url', undefined, 'wanx2.1-t2v-plus'), { value: undefined }, 'absent is always fine');
    assert.deepEqual(checkParam('shot_type', 'Multi', 'wan2.6-t2v'), { value: 'multi' });
  });
});

describe('create body per model', () => {
  test('wan2.6 sends size, duration and shot_type; its resolution and ratio come from the size', () => {
    const result = validateParams({ model: 'wan2.6-t2v', prompt: 'a fox', size: '720*1280', duration: 15, shot_type: 'multi', seed: 3, audio_url: 'https://example.com/a.mp3' });
    assert.ok(result.params, JSON.stringify(result.problems));
    assert.equal(result.params.resolution, '720P');
    assert.equal(result.params.ratio, '9:16');
    assert.deepEqual(toCreateBody(result.params), {
      model: 'wan2.6-t2v',
      input: { prompt: 'a fox', audio_url: 'https://example.com/a.mp3' },
      parameters: { size: '720*1280', duration: 15, shot_type: 'multi', prompt_extend: true, watermark: false, seed: 3 },
    });
  });

  test('wan2.2 sends its default size and no duration (fixed at 5 s)', () => {
    const result = validateParams({ model: 'wan2.2-t2v-plus', prompt: 'a fox' });
    assert.ok(result.params);
    assert.equal(result.params.duration, 5);
    assert.equal(result.params.resolution, '1080P');
    assert.deepEqual(toCreateBody(result.params).parameters, { size: '1920*1080', prompt_extend: true, watermark: false });
  });

  test('the settings\' defaults adapt to the model: resolution and ratio become its size, what it cannot use gives way', () => {
    const settings = { model: 'wan2.7-t2v', resolution: '720P', ratio: '9:16', duration: 8, prompt_extend: false, negative_prompt: 'blur' };
    assert.deepEqual(defaultsForModel(settings, 'wan2.6-t2v'), { model: 'wan2.7-t2v', size: '720*1280', prompt_extend: false, negative_prompt: 'blur' });
    assert.deepEqual(defaultsForModel(settings, 'wan2.7-t2v'), settings);
    const silent = defaultsForModel({ ...settings, resolution: '720P', ratio: '16:9' }, 'wan2.2-t2v-plus');
    assert.equal(silent.size, undefined, 'wan2.2 has no 720P: its own default size applies');
    const params = validateParams({ ...silent, model: 'wan2.2-t2v-plus', prompt: 'a fox' }).params;
    assert.equal(params?.size, '1920*1080');
  });
});

describe('key documentation and suggestions', () => {
  test('every key has a summary, what it allows and its default, under every model', () => {
    for (const model of MODEL_IDS) {
      for (const key of PROMPT_FILE_KEYS) {
        const doc = keyDoc(key, model);
        assert.ok(doc.summary.length > 10 && doc.allowed.length > 0 && doc.default.length > 0, `${key} under ${model}`);
      }
    }
    assert.equal(keyDoc('duration', 'wan2.5-t2v-preview').allowed, '5 or 10 seconds');
    assert.deepEqual(keyDoc('shot_type', 'wan2.7-t2v').models, ['wan2.6-t2v']);
  });

  test('the keys and values offered follow the model', () => {
    assert.ok(keysFor('wan2.7-t2v').includes('resolution') && !keysFor('wan2.7-t2v').includes('size'));
    assert.ok(keysFor('wan2.6-t2v').includes('shot_type') && !keysFor('wan2.6-t2v').includes('ratio'));
    assert.ok(!keysFor('wan2.2-t2v-plus').includes('audio_url'));
    assert.deepEqual(valueSuggestions('duration', 'wan2.5-t2v-preview').map((s) => s.value), ['5', '10']);
    assert.equal(valueSuggestions('duration', 'wan2.7-t2v').length, 14);
    assert.deepEqual(valueSuggestions('size', 'wanx2.1-t2v-plus').map((s) => s.value), ['1280*720', '720*1280', '960*960', '1088*832', '832*1088']);
    assert.deepEqual(valueSuggestions('model', 'wan2.7-t2v').map((s) => s.value), MODEL_IDS);
  });
});

describe('Wan 3.0', () => {
  test('duration 20 and resolution 480P are sent as written (numbers as numbers), and no ratio unless given', () => {
    const result = validateParams({ model: 'wan3.0-video', prompt: 'a fox', duration: 20, resolution: '480p' });
    assert.ok(result.params, JSON.stringify(result.problems));
    assert.deepEqual(toCreateBody(result.params), { model: 'wan3.0-video', input: { prompt: 'a fox' }, parameters: { resolution: '480P', duration: 20 } });
    const adaptive = validateParams({ model: 'wan3.0-video-prime', prompt: 'a fox', ratio: 'adaptive', duration: -1, audio: false, seed: 7 });
    assert.ok(adaptive.params, JSON.stringify(adaptive.problems));
    assert.deepEqual(toCreateBody(adaptive.params).parameters, { ratio: 'adaptive', duration: -1, seed: 7, audio: false });
  });

  test('2–30 s or -1, a 20 000-character prompt, no negative_prompt; the settings\' wan2.7 values that do not fit give way', () => {
    assert.deepEqual(checkParam('duration', 30, 'wan3.0-video'), { value: 30 });
    assert.match((checkParam('duration', 31, 'wan3.0-video') as { problem: string }).problem, /2–30 or -1 \(the model chooses\) seconds for wan3\.0-video/);
    assert.deepEqual(checkParam('prompt', 'a'.repeat(20000), 'wan3.0-video'), { value: 'a'.repeat(20000) });
    assert.match((checkParam('prompt', 'a'.repeat(20001), 'wan3.0-video') as { problem: string }).problem, /at most 20000/);
    assert.match((checkParam('negative_prompt', 'blur', 'wan3.0-video') as { problem: string }).problem, /wan3\.0-video does not take negative_prompt/);
    assert.match((checkParam('audio', true, 'wan2.7-t2v') as { problem: string }).problem, /wan2\.7-t2v does not take audio; wan3\.0-video or wan3\.0-video-prime do/);
    assert.deepEqual(defaultsForModel({ ratio: '9:16', negative_prompt: 'blur', duration: 25 }, 'wan3.0-video'), { ratio: '9:16', duration: 25 });
    assert.deepEqual(defaultsForModel({ resolution: '480P', duration: 25 }, 'wan2.7-t2v'), {}, 'wan2.7 has no 480P or 25 s: its own defaults apply');
  });
});

describe('models the extension does not know, and media models', () => {
  test('a dated snapshot follows its base row and is sent under its own name', () => {
    const result = validateParams({ model: 'wan2.7-t2v-2026-04-25', prompt: 'a fox' });
    assert.ok(result.params);
    assert.deepEqual(toCreateBody(result.params), {
      model: 'wan2.7-t2v-2026-04-25',
      input: { prompt: 'a fox' },
      parameters: { resolution: '720P', ratio: '16:9', duration: 5, prompt_extend: true, watermark: false },
    });
    assert.match((checkParam('size', '1280*720', 'wan2.7-t2v-2026-04-25') as { problem: string }).problem, /wan2\.7-t2v does not take size/);
  });

  test('an unknown model sends only what was written, checked against what any row allows', () => {
    const result = validateParams({ model: 'wan9.9-t2v', prompt: 'a fox', ratio: '9:16' });
    assert.ok(result.params);
    assert.deepEqual(toCreateBody(result.params), { model: 'wan9.9-t2v', input: { prompt: 'a fox' }, parameters: { ratio: '9:16' } });
    assert.ok('problem' in checkParam('resolution', '4K', 'wan9.9-t2v'));
  });

  test('a model that needs an image or video is refused without it, and takes it by its media rules', () => {
    for (const [model, needs] of [['wan2.7-i2v', /needs first_frame or first_clip/], ['wan2.7-r2v', /needs reference_image or reference_video/], ['wan2.7-videoedit', /needs video/]] as const) {
      const result = validateParams({ model, prompt: 'a fox' });
      assert.equal(result.params, undefined, model);
      assert.match(result.problems[0].message, needs, model);
    }
    const frames = validateParams({ model: 'wan2.7-i2v', prompt: 'a fox' }, [{ type: 'first_frame', source: './fox.png' }]);
    assert.deepEqual(frames.params?.media, [{ type: 'first_frame', source: './fox.png' }]);
    const mixed = validateParams({ model: 'wan3.0-video', prompt: 'a fox' }, [{ type: 'first_frame', source: './a.png' }, { type: 'reference_image', source: './b.png' }]);
    assert.match(mixed.problems[0]?.message ?? '', /reference_image cannot go with first_frame/);
    assert.match(validateParams({ prompt: 'a fox' }, [{ type: 'first_frame', source: './a.png' }]).problems[0]?.message ?? '', /wan2\.7-t2v takes no media/);
  });

  test('with its media given, such a model is accepted and the media ride along as written', () => {
    const media = [{ type: 'first_frame' as const, source: './girl.png' }];
    const result = validateParams({ model: 'wan2.7-i2v', prompt: 'a girl waves' }, media);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.params?.media, media);
  });
});

describe('adding a model is one row', () => {
  test('a hypothetical row is checked and sent by its own rules, with no other change', () => {
    const row: ModelRules = {
      ...rulesFor('wan2.7-t2v'),
      id: 'wan9.0-t2v',
      summary: () => 'Wan 9.0',
      takes: ['prompt_extend', 'seed'],
      resolutions: ['1080P'],
      ratios: ['1:1'],
      durations: { kind: 'choices', choices: [4, 8] },
      defaults: { resolution: '1080P', duration: 4 },
    };
    (MODELS as ModelRules[]).push(row);
    try {
      assert.equal(findModel('wan9.0-t2v-2027-01-01'), row);
      const result = validateParams({ model: 'wan9.0-t2v', prompt: 'a fox', ratio: '1:1', prompt_extend: false });
      assert.ok(result.params, JSON.stringify(result.problems));
      assert.deepEqual(toCreateBody(result.params), {
        model: 'wan9.0-t2v', input: { prompt: 'a fox' }, parameters: { resolution: '1080P', ratio: '1:1', duration: 4, prompt_extend: false },
      });
      assert.match(validateParams({ model: 'wan9.0-t2v', prompt: 'a fox', duration: 5 }).problems[0]?.message ?? '', /4 or 8 seconds for wan9\.0-t2v/);
      assert.match(validateParams({ model: 'wan9.0-t2v', prompt: 'a fox', watermark: true }).problems[0]?.message ?? '', /wan9\.0-t2v does not take watermark/);
      assert.deepEqual(valueSuggestions('duration', 'wan9.0-t2v').map((s) => s.value), ['4', '8']);
    } finally {
      (MODELS as ModelRules[]).pop();
    }
  });
});

describe('the settings follow the table', () => {
  test('wan.model offers every row; wan.defaults.* allow what some row allows', () => {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { enum?: string[]; enumDescriptions?: string[]; default?: unknown; minimum?: number; maximum?: number }> } };
    };
    const settings = manifest.contributes.configuration.properties;
    assert.deepEqual(settings['wan.model'].enum, MODEL_IDS);
    assert.equal(settings['wan.model'].enumDescriptions?.length, MODEL_IDS.length);
    assert.equal(settings['wan.model'].default, 'wan2.7-t2v');
    assert.deepEqual(settings['wan.defaults.resolution'].enum, ['480P', '720P', '1080P']);
    assert.deepEqual([...settings['wan.defaults.ratio'].enum!].sort(), [...new Set(MODELS.flatMap((m) => m.ratios))].sort());
    assert.deepEqual([settings['wan.defaults.duration'].minimum, settings['wan.defaults.duration'].maximum], [-1, 30]);
    for (const value of [...settings['wan.defaults.resolution'].enum!, ...settings['wan.defaults.ratio'].enum!]) {
      assert.ok(MODELS.some((m) => [...m.resolutions, ...m.ratios, ...m.sizes.map((o) => o.tier)].includes(value as never)), value);
    }
    assert.deepEqual(checkSetting('duration', 30), { value: 30 });
    assert.deepEqual(checkSetting('ratio', 'adaptive'), { value: 'adaptive' });
    assert.ok('problem' in checkSetting('resolution', '4K'));
  });
});
