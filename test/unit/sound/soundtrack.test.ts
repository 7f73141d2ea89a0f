// The soundtrack converter over the committed fixtures (test/fixtures/sound/make.sh), in its worker with the committed
// wasm: the copy's video samples are the original's, byte for byte and time for time; its sound is FLAC, as long as
// the original plays and starting where it starts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SoundtrackConverter } from '../../../src/sound/soundtrack';
import { mediaLength, playedLength, readMovie, startSeconds, type Movie, type Track } from './mp4Samples';

// out/test/unit/sound -> repository root
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const fixture = (name: string) => path.join(repoRoot, 'test', 'fixtures', 'sound', name);
const WORKER = path.join(repoRoot, 'out', 'src', 'sound', 'soundtrackWorker.js');
const GLUE = path.join(repoRoot, 'native', 'soundtrack', 'wasm', 'soundtrack.js');

function track(movie: Movie, handler: string): Track {
  const found = movie.tracks.find((t) => t.handler === handler);
  assert.ok(found, `a ${handler} track`);
  return found;
}

describe('SoundtrackConverter', () => {
  let dir: string;
  let converter: SoundtrackConverter;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-soundtrack-'));
    converter = new SoundtrackConverter({ workerFile: WORKER, glueFile: GLUE, allowedFolders: () => [dir, fixture('')] });
  });

  after(() => {
    converter.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const name of ['two-seconds.mp4', '1080p-15s.mp4', 'mono-44k-moov-last.mp4']) {
    test(`${name}: the same video samples, and the sound as FLAC of the length the original plays`, async () => {
      const output = path.join(dir, name);
      const result = await converter.convert(fixture(name), output);
      assert.deepEqual(result, { kind: 'converted', path: output, bytes: fs.statSync(output).size });
      assert.deepEqual(fs.readdirSync(dir).filter((file) => file.endsWith('.part')), [], 'no partial file left');
      const [original, copy] = await Promise.all([readMovie(fixture(name)), readMovie(output)]);

      const [video, copiedVideo] = [track(original, 'vide'), track(copy, 'vide')];
      assert.equal(copiedVideo.codec, video.codec);
      assert.equal(copiedVideo.timescale, video.timescale);
      assert.equal(copiedVideo.samples.length, video.samples.length);
      assert.deepEqual(copiedVideo.samples, video.samples, 'every video sample: size, MD5, decode and presentation time, sync');
      // Where the picture starts to play: the edit list skips the same composition delay.
      assert.deepEqual(copiedVideo.edits.map((e) => e.mediaTime), video.edits.map((e) => e.mediaTime));

      const [sound, copiedSound] = [track(original, 'soun'), track(copy, 'soun')];
      assert.equal(sound.codec, 'mp4a');
      assert.equal(copiedSound.codec, 'fLaC');
      assert.equal(copiedSound.sampleRate, sound.sampleRate);
      assert.equal(copiedSound.channels, sound.channels);
      assert.equal(copiedSound.timescale, sound.sampleRate, 'FLAC timed in samples');
      const played = playedLength(sound, original.timescale);
      // The AAC carries priming and padding that its edit list leaves out; the FLAC carries exactly what plays.
      assert.ok(mediaLength(sound) > played, 'the fixture has priming or padding to trim');
      assert.equal(mediaLength(copiedSound), played, 'as many samples as the original plays');
      assert.equal(copiedSound.flacTotalSamples, played, 'and STREAMINFO says the same');
      assert.equal(playedLength(copiedSound, copy.timescale), played);
      assert.equal(copiedSound.edits.filter((e) => e.mediaTime > 0).length, 0, 'nothing to skip at the start');
      assert.equal(startSeconds(copiedSound, copy.timescale), startSeconds(sound, original.timescale), 'starts with the picture, as the original');
    });
  }

  test('a video without sound is reported as such, and nothing is written', async () => {
    const output = path.join(dir, 'silent.mp4');
    assert.deepEqual(await converter.convert(fixture('silent.mp4'), output), { kind: 'no-soundtrack' });
    assert.equal(fs.existsSync(output) || fs.existsSync(`${output}.part`), false);
  });

  test('a video whose sound is not AAC is left as it is, with the codec in the reason', async () => {
    const output = path.join(dir, 'mp3-sound.mp4');
    assert.deepEqual(await converter.convert(fixture('mp3-sound.mp4'), output), { kind: 'cannot-convert', reason: 'the soundtrack is mp3, not AAC' });
    assert.equal(fs.existsSync(output) || fs.existsSync(`${output}.part`), false);
  });

  test('a cut-off file cannot be converted, with ffmpeg\'s reason, and leaves nothing', async () => {
    const output = path.join(dir, 'corrupt.mp4');
    const result = await converter.convert(fixture('corrupt.mp4'), output);
    assert.deepEqual(result, { kind: 'cannot-convert', reason: 'its sound could not be converted (reading the video: Invalid data found when processing input)' });
    assert.equal(fs.existsSync(output) || fs.existsSync(`${output}.part`), false);
  });

  test('an abort stops the conversion, leaves no file, and the next one runs in a new worker', async () => {
    const output = path.join(dir, 'aborted.mp4');
    const abort = new AbortController();
    const converting = converter.convert(fixture('1080p-15s.mp4'), output, abort.signal);
    setTimeout(() => abort.abort(), 20);
    await assert.rejects(converting, { name: 'AbortError' });
    assert.equal(fs.existsSync(output) || fs.existsSync(`${output}.part`), false);
    const again = await converter.convert(fixture('two-seconds.mp4'), output);
    assert.equal(again.kind, 'converted');
  });

  test('a missing input is a reason, not a crash', async () => {
    const result = await converter.convert(path.join(dir, 'gone.mp4'), path.join(dir, 'gone-copy.mp4'));
    assert.deepEqual(result, { kind: 'cannot-convert', reason: 'its sound could not be converted (reading the video: No such file or directory)' });
  });
});

describe('SoundtrackConverter: the folders it may read and write', () => {
  let dir: string;
  let videos: string;
  let copies: string;
  let outside: string;
  let converter: SoundtrackConverter;
  const outsideFiles = () => fs.readdirSync(outside).sort();

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-soundtrack-folders-'));
    [videos, copies, outside] = ['wan-videos', 'copies', 'outside'].map((name) => path.join(dir, name));
    for (const folder of [videos, copies, outside]) fs.mkdirSync(folder);
    fs.copyFileSync(fixture('two-seconds.mp4'), path.join(videos, 'fox.mp4'));
    fs.copyFileSync(fixture('two-seconds.mp4'), path.join(outside, 'secret.mp4'));
    converter = new SoundtrackConverter({ workerFile: WORKER, glueFile: GLUE, allowedFolders: () => [videos, copies] });
  });

  after(() => {
    converter.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a video in the output folder is converted into the copies\' folder', async () => {
    const result = await converter.convert(path.join(videos, 'fox.mp4'), path.join(copies, 'fox.mp4'));
    assert.equal(result.kind, 'converted');
  });

  test('a video outside the allowed folders is refused, with the folders in the reason', async () => {
    const input = path.join(outside, 'secret.mp4');
    assert.deepEqual(await converter.convert(input, path.join(copies, 'secret.mp4')), {
      kind: 'cannot-convert',
      reason: `the video ${input} is outside the folders the converter may read and write (${videos}, ${copies})`,
    });
    assert.deepEqual(fs.readdirSync(copies).filter((name) => name.startsWith('secret')), [], 'nothing written');
  });

  test('a video reached through ".." or a symbolic link in the output folder is refused', async () => {
    fs.symlinkSync(path.join(outside, 'secret.mp4'), path.join(videos, 'link.mp4'));
    for (const input of [path.join(videos, '..', 'outside', 'secret.mp4'), path.join(videos, 'link.mp4')]) {
      const result = await converter.convert(input, path.join(copies, 'secret.mp4'));
      assert.equal(result.kind, 'cannot-convert', input);
      assert.match(result.kind === 'cannot-convert' ? result.reason : '', /is outside the folders the converter may read and write/);
    }
    assert.deepEqual(fs.readdirSync(copies).filter((name) => name.startsWith('secret')), [], 'nothing written');
  });

  test('a copy asked for outside the allowed folders, through ".." or a symbolic link, is refused and nothing is written there', async () => {
    fs.symlinkSync(outside, path.join(copies, 'escape'));
    for (const output of [path.join(outside, 'copy.mp4'), path.join(copies, '..', 'outside', 'copy.mp4'), path.join(copies, 'escape', 'copy.mp4')]) {
      const result = await converter.convert(path.join(videos, 'fox.mp4'), output);
      assert.equal(result.kind, 'cannot-convert', output);
      assert.match(result.kind === 'cannot-convert' ? result.reason : '', /^the copy .* is outside the folders the converter may read and write/);
    }
    assert.deepEqual(outsideFiles(), ['secret.mp4'], 'nothing written outside');
  });

  test('a partial copy left as a symbolic link to a file outside is replaced, not written through', async () => {
    const target = path.join(outside, 'secret.mp4');
    const before = fs.readFileSync(target);
    fs.symlinkSync(target, path.join(copies, 'planted.mp4.part'));
    const result = await converter.convert(path.join(videos, 'fox.mp4'), path.join(copies, 'planted.mp4'));
    assert.equal(result.kind, 'converted');
    assert.ok(fs.readFileSync(target).equals(before), 'the file outside is unchanged');
    assert.deepEqual(outsideFiles(), ['secret.mp4']);
  });
});
