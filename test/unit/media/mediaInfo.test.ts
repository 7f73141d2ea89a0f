import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readMediaInfo, type MediaInfo, type MediaReadProblem } from '../../../src/media';
import { bmp, box, clip, id3v2, jpeg, mp3Frame, png, vbriFrame, wav, webpLossless, webpLossy, webpWithAlpha, xingFrame } from './fixtures';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'wan-media-'));

function write(name: string, bytes: Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

async function info(name: string, bytes: Buffer): Promise<MediaInfo> {
  const read = await readMediaInfo(write(name, bytes));
  assert.ok('info' in read, `${name}: ${'problem' in read ? read.problem.message : ''}`);
  return read.info;
}

async function problem(name: string, bytes?: Buffer): Promise<MediaReadProblem> {
  const read = await readMediaInfo(bytes ? write(name, bytes) : join(dir, name));
  assert.ok('problem' in read, `${name} was read: ${JSON.stringify(read)}`);
  return read.problem;
}

describe('readMediaInfo', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('PNG: dimensions, and an alpha channel by colour type (4, 6) or by a tRNS chunk', async () => {
    const opaque = png(640, 480);
    assert.deepEqual(await info('opaque.png', opaque), { kind: 'image', format: 'png', size: opaque.length, width: 640, height: 480, alpha: false });
    assert.equal(((await info('rgba.png', png(300, 300, { colourType: 6 }))) as { alpha: boolean }).alpha, true);
    assert.equal(((await info('grey-alpha.png', png(300, 300, { colourType: 4 }))) as { alpha: boolean }).alpha, true);
    assert.equal(((await info('trns.png', png(300, 300, { transparent: true }))) as { alpha: boolean }).alpha, true);
    assert.equal(((await info('grey.png', png(300, 300, { colourType: 0 }))) as { alpha: boolean }).alpha, false);
  });

  test('JPEG: the SOF0 dimensions after an EXIF APP1 whose thumbnail holds a frame header of its own', async () => {
    assert.deepEqual(await info('photo.jpg', jpeg(1920, 1080)), { kind: 'image', format: 'jpeg', size: jpeg(1920, 1080).length, width: 1920, height: 1080, alpha: false });
  });

  test('BMP: dimensions, a negative (top-down) height as its size', async () => {
    assert.deepEqual(await info('up.bmp', bmp(300, 250)), { kind: 'image', format: 'bmp', size: bmp(300, 250).length, width: 300, height: 250, alpha: false });
    assert.deepEqual(await info('down.bmp', bmp(301, -250)), { kind: 'image', format: 'bmp', size: bmp(301, -250).length, width: 301, height: 250, alpha: false });
  });

  test('WEBP: VP8X with its alpha flag, VP8, and VP8L with its alpha bit', async () => {
    assert.deepEqual(await info('alpha.webp', webpWithAlpha(1000, 500)), { kind: 'image', format: 'webp', size: webpWithAlpha(1000, 500).length, width: 1000, height: 500, alpha: true });
    assert.deepEqual(await info('lossy.webp', webpLossy(640, 360)), { kind: 'image', format: 'webp', size: webpLossy(640, 360).length, width: 640, height: 360, alpha: false });
    const lossless = (await info('lossless.webp', webpLossless(4000, 300, true))) as { width: number; height: number; alpha: boolean };
    assert.deepEqual([lossless.width, lossless.height, lossless.alpha], [4000, 300, true]);
  });

  test('MP4: mvhd duration over its timescale, the video track\'s tkhd size (16.16) and codecs, the sound\'s codec', async () => {
    const three = clip({ timescale: 1000, duration: 3000, width: 1280, height: 720, audio: 'mp4a' });
    assert.deepEqual(await info('three.mp4', three), {
      kind: 'video', format: 'mp4', size: three.length, width: 1280, height: 720, seconds: 3, videoCodec: 'avc1', audioCodec: 'mp4a',
    });
    const sixteen = (await info('sixteen.mp4', clip({ timescale: 600, duration: 9600, width: 640, height: 480 }))) as { seconds: number; audioCodec?: string };
    assert.equal(sixteen.seconds, 16);
    assert.equal(sixteen.audioCodec, undefined, 'a clip without a sound track has no audio codec');
  });

  test('MP4: the visual sample entry\'s size where tkhd has none; 64-bit times (version 1)', async () => {
    const video = (await info('entry.mp4', clip({ timescale: 90000, duration: 450000, width: 720, height: 1280, sizeInSampleEntryOnly: true, version1: true }))) as { width: number; height: number; seconds: number };
    assert.deepEqual([video.width, video.height, video.seconds], [720, 1280, 5]);
  });

  test('MOV: the qt brand, moov after mdat as cameras write it, a portrait clip turned by its matrix', async () => {
    const video = await info('camera.mov', clip({ brand: 'qt  ', moovLast: true, timescale: 600, duration: 1500, width: 1920, height: 1080, turned: true, audio: 'lpcm' }));
    assert.deepEqual(video, { kind: 'video', format: 'mov', size: video.size, width: 1080, height: 1920, seconds: 2.5, videoCodec: 'avc1', audioCodec: 'lpcm' });
    const old = clip({ moovLast: true, timescale: 600, duration: 600, width: 640, height: 480 });
    const withoutFtyp = Buffer.concat([box('wide'), old.subarray(old.readUInt32BE(0))]); // QuickTime before ftyp
    assert.equal((await info('old.mov', withoutFtyp)).format, 'mov');
  });

  test('the committed fixtures: sample.mp4 is 2 s of H.264 with AAC; readme-clip.mp4 is read too', async () => {
    const sample = (await readMediaInfo(join(FIXTURES, 'sample.mp4'))) as { info: { seconds: number; videoCodec: string; audioCodec: string; width: number; height: number } };
    assert.equal(Math.round(sample.info.seconds * 10) / 10, 2);
    assert.deepEqual([sample.info.videoCodec, sample.info.audioCodec], ['avc1', 'mp4a']);
    assert.ok(sample.info.width >= 16 && sample.info.height >= 16);
    const readme = await readMediaInfo(join(FIXTURES, 'readme-clip.mp4'));
    assert.ok('info' in readme && readme.info.kind === 'video' && readme.info.seconds > 0, JSON.stringify(readme));
  });

  test('reads only headers: a 3 GB clip (64-bit mdat, moov at the end) in well under a second', async () => {
    const mdat = Buffer.alloc(16);
    mdat.writeUInt32BE(1, 0);
    mdat.write('mdat', 4, 'latin1');
    const dataSize = 3 * 1024 ** 3;
    mdat.writeBigUInt64BE(BigInt(16 + dataSize), 8);
    const small = clip({ timescale: 1000, duration: 12000, width: 3840, height: 2160, audio: 'mp4a' });
    const ftyp = small.subarray(0, small.readUInt32BE(0));
    const moov = small.subarray(ftyp.length, ftyp.length + small.readUInt32BE(ftyp.length));
    const file = write('huge.mp4', Buffer.concat([ftyp, mdat]));
    truncateSync(file, ftyp.length + 16 + dataSize); // sparse: no disk space taken
    writeFileSync(file, moov, { flag: 'a' });
    const started = performance.now();
    const read = await readMediaInfo(file);
    const elapsed = performance.now() - started;
    assert.ok('info' in read && read.info.kind === 'video' && read.info.seconds === 12 && read.info.size > dataSize, JSON.stringify(read));
    assert.ok(elapsed < 500, `${elapsed.toFixed(0)} ms`);
  });

  test('WAV: the data size over the byte rate of fmt, past a padded LIST chunk', async () => {
    const sound = wav(2);
    assert.deepEqual(await info('two.wav', sound), { kind: 'audio', format: 'wav', size: sound.length, seconds: 2, sampleRate: 8000, channels: 1, bitrate: 128000 });
  });

  test('MP3 of constant bitrate after an ID3v2 tag, with an ID3v1 tag at the end: its size over the bitrate', async () => {
    const frames = Array.from({ length: 100 }, () => mp3Frame(128));
    const sound = Buffer.concat([id3v2(1000), ...frames, Buffer.from('TAG'), Buffer.alloc(125)]);
    assert.deepEqual(await info('cbr.mp3', sound), { kind: 'audio', format: 'mp3', size: sound.length, seconds: (100 * 417 * 8) / 128000, sampleRate: 44100, channels: 2, bitrate: 128000 });
  });

  test('MP3 of variable bitrate: the frame count of its Xing (or VBRI) frame gives the duration', async () => {
    const frames = Array.from({ length: 100 }, (_, n) => mp3Frame(n % 2 ? 64 : 192));
    const bytes = 417 + frames.reduce((sum, frame) => sum + frame.length, 0);
    const seconds = (101 * 1152) / 44100;
    const xing = (await info('vbr.mp3', Buffer.concat([id3v2(20), xingFrame('Xing', 101, bytes), ...frames]))) as { seconds: number; bitrate: number };
    assert.equal(xing.seconds, seconds);
    assert.equal(xing.bitrate, Math.round((bytes * 8) / seconds));
    const vbri = (await info('vbri.mp3', Buffer.concat([vbriFrame(101, bytes), ...frames]))) as { seconds: number };
    assert.equal(vbri.seconds, seconds);
    const cut = await problem('cut-vbr.mp3', Buffer.concat([xingFrame('Info', 101, bytes), ...frames.slice(0, 50)]));
    assert.equal(cut.code, 'cut-off', 'a file shorter than its Xing frame says was cut off');
  });

  test('the format comes from the bytes: a JPEG named .png is a JPEG, and the name is noted', async () => {
    const image = await info('lies.png', jpeg(800, 600));
    assert.deepEqual([image.format, image.extensionSays], ['jpeg', 'png']);
    assert.equal((await info('no-extension', png(300, 300))).format, 'png');
    assert.equal((await info('sample.jpeg', jpeg(300, 300))).extensionSays, undefined);
  });

  test('documents by their extension only, with their size', async () => {
    assert.deepEqual(await info('Report.PDF', Buffer.from('%PDF-1.7 …')), { kind: 'document', format: 'pdf', size: 12 });
    assert.deepEqual(await info('notes.md', Buffer.from('BM is not a bitmap here')), { kind: 'document', format: 'md', size: 23 });
  });

  test('cut off: inside the header, before the data, or before the end chunk', async () => {
    const cases: Array<[string, Buffer]> = [
      ['header.png', png(300, 300).subarray(0, 20)],
      ['data.png', png(300, 300).subarray(0, 60)],
      ['pixels.png', png(300, 300).subarray(0, png(300, 300).length - 20)],
      ['exif.jpg', jpeg(300, 300).subarray(0, 200)],
      ['rows.bmp', bmp(300, 300).subarray(0, 10_000)],
      ['riff.webp', webpWithAlpha(300, 300).subarray(0, 40)],
      ['data.wav', wav(2).subarray(0, 20_000)],
      ['moov.mp4', clip({ timescale: 1000, duration: 3000, width: 640, height: 480 }).subarray(0, 400)],
      ['mdat.mov', clip({ brand: 'qt  ', moovLast: true, timescale: 1000, duration: 3000, width: 640, height: 480 }).subarray(0, 3000)],
      ['tag.mp3', id3v2(5000).subarray(0, 3000)],
    ];
    for (const [name, bytes] of cases) {
      const cut = await problem(name, bytes);
      assert.equal(cut.code, 'cut-off', name);
      assert.match(cut.message, /cut off.*again/, name);
    }
  });

  test('corrupt: a file that starts like a format but breaks its rules', async () => {
    const broken = png(300, 300);
    broken.write('IHDX', 12, 'latin1');
    assert.deepEqual(await problem('broken.png', broken), { code: 'corrupt', format: 'png', message: (await problem('broken.png', broken)).message });
    const badBox = clip({ timescale: 1000, duration: 3000, width: 640, height: 480 });
    badBox.writeUInt32BE(4, badBox.readUInt32BE(0) + 8); // mvhd claims to be 4 bytes long
    assert.equal((await problem('bad-box.mp4', badBox)).code, 'corrupt');
    const soundOnly = Buffer.concat([box('ftyp', Buffer.from('M4A \0\0\0\0', 'latin1')), box('moov', box('mvhd', Buffer.alloc(100))), box('mdat')]);
    assert.equal((await problem('no-video.mp4', soundOnly)).code, 'corrupt', 'an MP4 without a video track is no clip');
  });

  test('unknown: bytes of no format the service takes, named as one or not', async () => {
    const page = await problem('clip.mp4', Buffer.from('<html><body>Access denied</body></html>'));
    assert.equal(page.code, 'unknown');
    assert.equal(page.format, 'mp4');
    assert.match(page.message, /not in MP4 format.*Export it again as MP4/);
    const other = await problem('archive.zip', Buffer.from('PK\x03\x04'));
    assert.match(other.message, /images \(PNG, JPEG, BMP, WEBP\), videos \(MOV, MP4\), sounds \(WAV, MP3\)/);
  });

  test('missing and unreadable files', async () => {
    assert.equal((await problem('gone.png')).code, 'missing');
    mkdirSync(join(dir, 'folder.png'));
    const folder = await problem('folder.png');
    assert.equal(folder.code, 'unreadable');
    assert.match(folder.message, /EISDIR/);
  });
});

