import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { checkMediaFile, readMediaInfo, type MediaInfo, type MediaLimits } from '../../../src/media';
import { clip, jpeg, png, wav, webpWithAlpha } from './fixtures';

const MB = 1024 * 1024;
// The limits Wan 2.7 and 3.0 share (../shared/wan-models.md), with durations of a reference video and a driving audio.
const IMAGE: MediaLimits = { kind: 'image', formats: ['jpeg', 'png', 'bmp', 'webp'], maxBytes: 20 * MB, sides: { min: 240, max: 8000 }, maxAspect: 8, refusesAlpha: true };
const VIDEO: MediaLimits = { kind: 'video', formats: ['mp4', 'mov'], maxBytes: 100 * MB, sides: { min: 240, max: 4096 }, maxAspect: 8, seconds: { min: 1, max: 15 } };
const AUDIO: MediaLimits = { kind: 'audio', formats: ['wav', 'mp3'], maxBytes: 15 * MB, seconds: { min: 1, max: 10 } };

const dir = mkdtempSync(join(tmpdir(), 'wan-media-checks-'));

async function codes(name: string, bytes: Buffer, limits: MediaLimits): Promise<string[]> {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const read = await readMediaInfo(file);
  assert.ok('info' in read, name);
  return checkMediaFile(read.info, limits).map((problem) => problem.code);
}

describe('checkMediaFile', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a table of fixture files against the limits of their key', async () => {
    const cases: Array<[string, Buffer, MediaLimits, string[]]> = [
      ['opaque.png', png(1024, 768), IMAGE, []],
      ['alpha.png', png(1024, 768, { colourType: 6 }), IMAGE, ['alpha']],
      ['trns.png', png(1024, 768, { transparent: true }), IMAGE, ['alpha']],
      ['alpha.webp', webpWithAlpha(1024, 768), IMAGE, ['alpha']],
      ['small.png', png(200, 300), IMAGE, ['sides']],
      ['wide.png', png(2700, 300), IMAGE, ['aspect']],
      ['eight-to-one.png', png(2400, 300), IMAGE, []],
      ['huge.png', png(8100, 1100), IMAGE, ['sides']],
      ['thin.png', png(100, 9000), IMAGE, ['sides', 'sides', 'aspect']],
      ['photo.jpg', jpeg(4000, 3000), IMAGE, []],
      ['three.mp4', clip({ timescale: 1000, duration: 3000, width: 1280, height: 720, audio: 'mp4a' }), VIDEO, []],
      ['sixteen.mp4', clip({ timescale: 1000, duration: 16000, width: 1280, height: 720 }), VIDEO, ['duration']],
      ['tiny.mov', clip({ brand: 'qt  ', timescale: 600, duration: 1800, width: 200, height: 4100 }), VIDEO, ['sides', 'sides', 'aspect']],
      ['two.wav', wav(2), AUDIO, []],
      ['long.wav', wav(11), AUDIO, ['duration']],
      ['clip-as-image.mp4', clip({ timescale: 1000, duration: 3000, width: 1280, height: 720 }), IMAGE, ['kind']],
    ];
    for (const [name, bytes, limits, expected] of cases) assert.deepEqual(await codes(name, bytes, limits), expected, name);
  });

  test('every problem says what it found and what to do', () => {
    const image: MediaInfo = { kind: 'image', format: 'png', size: 21 * MB + 1, width: 100, height: 900, alpha: true, extensionSays: 'jpeg' };
    const problems = checkMediaFile(image, { ...IMAGE, formats: ['jpeg', 'webp'] });
    assert.deepEqual(problems.map((problem) => [problem.code, problem.severity]), [
      ['format', 'error'],
      ['extension', 'warning'],
      ['size', 'error'],
      ['sides', 'error'],
      ['aspect', 'error'],
      ['alpha', 'error'],
    ]);
    assert.deepEqual(problems.map((problem) => problem.message), [
      'This key does not take PNG files; convert it to JPEG, WEBP.',
      'The name says JPEG, but the file holds PNG: rename it to end in .png, so that nothing reads it as the wrong format.',
      'The file is 21.1 MB; at most 20 MB is allowed. Scale it down, or save it as JPEG.',
      'It is 100×900 px, under 240 px on a side: scale it up so that each side is at least 240 px.',
      'It is 100×900 px, 9:1; the long side may be at most 8 times the short one. Crop it.',
      'The image has an alpha channel (transparency), which the service does not take. Flatten it onto a background: save it as JPEG, or as PNG without transparency.',
    ]);
    const sound: MediaInfo = { kind: 'audio', format: 'mp3', size: 1000, seconds: 0.4, sampleRate: 44100, channels: 2, bitrate: 128000 };
    assert.deepEqual(checkMediaFile(sound, AUDIO).map((problem) => problem.message), ['It lasts 0.4 s; this key takes 1–10 s. Use a longer one.']);
    const video: MediaInfo = { kind: 'video', format: 'mp4', size: 101 * MB, width: 1920, height: 1080, seconds: 15.004, videoCodec: 'avc1' };
    assert.deepEqual(checkMediaFile(video, VIDEO).map((problem) => problem.message), [
      'The file is 101 MB; at most 100 MB is allowed. Trim it, or export it at a lower bitrate or resolution.',
      'It lasts 15.01 s; this key takes 1–15 s. Trim it.',
    ]);
    const document: MediaInfo = { kind: 'document', format: 'pdf', size: 2 * MB };
    assert.deepEqual(checkMediaFile(document, IMAGE).map((problem) => problem.message), ['This key takes an image (JPEG, PNG, BMP, WEBP); this file is a document (PDF).']);
  });
});
