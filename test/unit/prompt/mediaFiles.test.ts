import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkMediaFiles, type MediaFileContext } from '../../../src/prompt/mediaFiles';
import { parsePromptFile } from '../../../src/prompt/promptFile';
import { clip, png, wav } from '../media/fixtures';

const root = mkdtempSync(join(tmpdir(), 'wan-media-files-'));
const workspace = join(root, 'workspace');
const elsewhere = join(root, 'elsewhere');
const prompts = join(workspace, 'prompts');
const context: MediaFileContext = { promptFolder: prompts, workspaceFolders: [workspace] };

/** The problems of the one prompt in `text`, as [value written, code]. */
async function fileProblems(text: string): Promise<[string, string][]> {
  const file = parsePromptFile(text);
  const entry = file.prompts[0];
  const problems = await checkMediaFiles(entry, context);
  return problems.map((p) => [text.slice(p.start, p.end), p.code]);
}

describe('checks of the local files a prompt names', () => {
  before(() => {
    mkdirSync(prompts, { recursive: true });
    mkdirSync(join(workspace, 'img'), { recursive: true });
    mkdirSync(elsewhere, { recursive: true });
    const files: Record<string, Buffer> = {
      'prompts/opaque.png': png(1024, 768),
      'prompts/alpha.png': png(1024, 768, { colourType: 6 }),
      'prompts/small.png': png(200, 200),
      'prompts/wide.png': png(2700, 300),
      'img/cat.png': png(640, 480),
      'prompts/three.mp4': clip({ timescale: 1000, duration: 3000, width: 1280, height: 720 }),
      'prompts/sixteen.mp4': clip({ timescale: 1000, duration: 16000, width: 1280, height: 720 }),
      'prompts/voice.wav': wav(3),
      'prompts/long.wav': wav(12),
    };
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(workspace, name), bytes);
    writeFileSync(join(elsewhere, 'outside.png'), png(640, 480));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('each image check, at the value it is about', async () => {
    const text = `---\nmodel: wan3.0-video\nreference_image: [./opaque.png, ./alpha.png, ./small.png, ./wide.png, ./gone.png, ${join(elsewhere, 'outside.png')}, ./voice.wav, https://example.com/a.png]\n---\nThem.`;
    assert.deepEqual(await fileProblems(text), [
      ['./alpha.png', 'alpha'],
      ['./small.png', 'sides'],
      ['./wide.png', 'aspect'],
      ['./gone.png', 'missing'],
      [join(elsewhere, 'outside.png'), 'outside'],
      ['./voice.wav', 'kind'],
    ]);
  });

  test('a path relative to a workspace folder is found there', async () => {
    assert.deepEqual(await fileProblems('---\nmodel: wan2.7-i2v\nfirst_frame: img/cat.png\n---\nA cat.'), []);
  });

  test('a clip\'s and a sound\'s duration against the model\'s range, and a total', async () => {
    assert.deepEqual(await fileProblems('---\nmodel: wan2.7-videoedit\nvideo: ./three.mp4\n---\nSnow.'), []);
    assert.deepEqual(await fileProblems('---\nmodel: wan3.0-video\nreference_video: [./three.mp4, ./sixteen.mp4]\n---\nHim.'), [
      ['./sixteen.mp4', 'duration'],
      ['./sixteen.mp4', 'total-duration'],
    ]);
    assert.deepEqual(await fileProblems('---\nmodel: wan3.0-video\nreference_video: [./three.mp4, ./three.mp4, ./three.mp4, ./three.mp4, ./three.mp4]\n---\nHim.'), [], '15 s is allowed');
    const voices = '---\nmodel: wan2.7-r2v\nreference_image:\n  - { image: ./opaque.png, voice: ./voice.wav }\n  - { image: ./opaque.png, voice: ./long.wav }\n---\nThem.';
    assert.deepEqual(await fileProblems(voices), [['./long.wav', 'duration']]);
  });

  test('Wan 3.0: its reference videos and the video it makes last at most 30 s together', async () => {
    const fifteen = 'reference_video: [./three.mp4, ./three.mp4, ./three.mp4, ./three.mp4, ./three.mp4]';
    assert.deepEqual(await fileProblems(`---\nmodel: wan3.0-video\nduration: 15\n${fifteen}\n---\nHim.`), [], '15 + 15 s is allowed');
    assert.deepEqual(await fileProblems(`---\nmodel: wan3.0-video\nduration: -1\n${fifteen}\n---\nHim.`), [], 'the model chooses a length that fits');
    const text = `---\nmodel: wan3.0-video\nduration: 20\nreference_video: [./three.mp4, ./three.mp4, ./three.mp4, ./three.mp4, ./three.mp4]\n---\nHim.`;
    assert.deepEqual(await fileProblems(text), [['./three.mp4', 'input-and-output']]);
    const [problem] = await checkMediaFiles(parsePromptFile(text).prompts[0], context);
    assert.match(problem.message, /12 s of reference_video and a 20 s video: 32 s.*at most 30 s.*duration: 18 or less/);
    assert.equal(text.slice(problem.start).startsWith('./three.mp4, ./three.mp4]'), true, 'at the fourth clip, the one that passes the limit');
  });

  test('the messages say what to do', async () => {
    const file = parsePromptFile('---\nmodel: wan2.7-i2v\nfirst_frame: ./small.png\n---\nA cat.');
    const [problem] = await checkMediaFiles(file.prompts[0], context);
    assert.match(problem.message, /200×200 px, under 240 px on a side: scale it up/);
    assert.equal(problem.file, join(prompts, 'small.png'));
  });
});
