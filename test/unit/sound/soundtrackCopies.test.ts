// The converted copies: one per video content, made once, removed with the last task that plays it, and within the
// size bound with the copies played longest ago removed first.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { SoundtrackConverter } from '../../../src/sound/soundtrack';
import { SoundtrackCopies } from '../../../src/sound/soundtrackCopies';

// out/test/unit/sound -> repository root
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const fixture = (name: string) => path.join(repoRoot, 'test', 'fixtures', 'sound', name);

describe('SoundtrackCopies', () => {
  let dir: string;
  let index: Record<string, string>;
  let tasks: Set<string>;
  let conversions: number;
  let copies: SoundtrackCopies;
  const copyFiles = () => fs.readdirSync(path.join(dir, 'copies')).sort();

  function open(maxBytes?: number): SoundtrackCopies {
    const converter = new SoundtrackConverter({
      workerFile: path.join(repoRoot, 'out', 'src', 'sound', 'soundtrackWorker.js'),
      glueFile: path.join(repoRoot, 'native', 'soundtrack', 'wasm', 'soundtrack.js'),
      allowedFolders: () => [dir, fixture('')],
    });
    const convert = converter.convert.bind(converter);
    converter.convert = (...args) => {
      conversions++;
      return convert(...args);
    };
    return new SoundtrackCopies({
      folder: path.join(dir, 'copies'),
      converter,
      index: { read: () => index, write: async (next) => { index = next; } },
      taskExists: (taskId) => tasks.has(taskId),
      ...(maxBytes !== undefined && { maxBytes }),
    });
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-copies-'));
    index = {};
    tasks = new Set(['t1', 't2', 't3']);
    conversions = 0;
    copies = open();
  });

  afterEach(() => {
    copies.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('two tasks with the same video share one copy, converted once; it goes with the last of them', async () => {
    const video = path.join(dir, 'fox.mp4');
    fs.copyFileSync(fixture('two-seconds.mp4'), video);
    const first = await copies.make('t1', video);
    const second = await copies.make('t2', fixture('two-seconds.mp4'));
    assert.equal(first.kind, 'converted');
    assert.deepEqual(second, first);
    assert.equal(conversions, 1);
    assert.equal(copyFiles().length, 1);
    assert.match(copyFiles()[0], /^[0-9a-f]{64}\.mp4$/, 'named by the video\'s SHA-256');
    assert.equal(await copies.existing('t1'), first.kind === 'converted' ? first.path : '');
    assert.deepEqual(fs.readFileSync(video), fs.readFileSync(fixture('two-seconds.mp4')), 'the video itself is unchanged');

    tasks.delete('t1');
    await copies.removeCopiesOfRemovedTasks();
    assert.equal(copyFiles().length, 1, 't2 still plays it');
    assert.equal(await copies.existing('t1'), undefined);
    tasks.delete('t2');
    await copies.removeCopiesOfRemovedTasks();
    assert.deepEqual(copyFiles(), []);
    assert.deepEqual(index, {});
  });

  test('asked twice at once (the download and the preview), one conversion makes the copy both get', async () => {
    const [first, second] = await Promise.all([copies.make('t1', fixture('two-seconds.mp4')), copies.make('t1', fixture('two-seconds.mp4'))]);
    assert.equal(first.kind, 'converted');
    assert.deepEqual(second, first);
    assert.equal(conversions, 1);
    assert.equal(copyFiles().length, 1);
  });

  test('beyond the bound, the copies played longest ago are removed first', async () => {
    copies.dispose();
    const sizes: number[] = [];
    // Measure the three copies, then allow two of them.
    for (const [taskId, name] of [['t1', 'two-seconds.mp4'], ['t2', 'mono-44k-moov-last.mp4'], ['t3', '1080p-15s.mp4']] as const) {
      const result = await open().make(taskId, fixture(name));
      assert.equal(result.kind, 'converted');
      sizes.push(result.kind === 'converted' ? result.bytes : 0);
    }
    fs.rmSync(path.join(dir, 'copies'), { recursive: true });
    index = {};
    copies = open(sizes[0] + sizes[1] + sizes[2] - 1);
    await copies.make('t1', fixture('two-seconds.mp4'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await copies.make('t2', fixture('mono-44k-moov-last.mp4'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(await copies.existing('t1'), 't1 played again: now t2 is the one played longest ago');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await copies.make('t3', fixture('1080p-15s.mp4'));
    assert.ok(await copies.existing('t1'));
    assert.equal(await copies.existing('t2'), undefined, 'removed to make room');
    assert.ok(await copies.existing('t3'));
    assert.equal(copyFiles().length, 2);
  });

  test('a task removed while its copy was being made leaves no copy behind', async () => {
    const making = copies.make('t1', fixture('two-seconds.mp4'));
    tasks.delete('t1');
    assert.deepEqual(await making, { kind: 'cannot-convert', reason: 'its task was removed while the sound was converted' });
    assert.deepEqual(copyFiles(), []);
    assert.deepEqual(index, {});
  });

  test('a video without sound makes no copy', async () => {
    assert.deepEqual(await copies.make('t1', fixture('silent.mp4')), { kind: 'no-soundtrack' });
    assert.deepEqual(copyFiles(), []);
  });
});
