import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { hasAacAudio, mp4Shape } from '../../../src/wan/mp4';

const fixture = readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'sample.mp4'));
const dir = mkdtempSync(join(tmpdir(), 'wan-mp4-'));

function box(type: string, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + payload.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, payload]);
}

async function shapeOf(bytes: Buffer): Promise<string> {
  const file = join(dir, 'video.mp4');
  writeFileSync(file, bytes);
  return mp4Shape(file);
}

describe('mp4Shape', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the fixture (ftyp, moov, free, mdat) is whole', async () => {
    assert.equal(await shapeOf(fixture), 'whole');
  });

  test('case 12: a file cut anywhere is short: inside a header, inside a box, or at a box boundary before mdat', async () => {
    for (const length of [0, 5, 32, 36, 3536, 3544, 3550, 20_000, fixture.length - 1]) {
      assert.equal(await shapeOf(fixture.subarray(0, length)), 'short', `cut after ${length} bytes`);
    }
  });

  test('what does not start with ftyp, or has a box smaller than its header, is not an MP4', async () => {
    assert.equal(await shapeOf(Buffer.from('<html><body>Access denied</body></html>')), 'not-mp4');
    assert.equal(await shapeOf(Buffer.concat([fixture.subarray(32, 3536), fixture.subarray(0, 32)])), 'not-mp4');
    const broken = Buffer.from(fixture);
    broken.writeUInt32BE(4, 3536); // the free box claims to be 4 bytes long
    assert.equal(await shapeOf(broken), 'not-mp4');
  });

  test('reads 64-bit box sizes and a last box that runs to the end of the file', async () => {
    const large = Buffer.alloc(16);
    large.writeUInt32BE(1, 0);
    large.write('mdat', 4, 'latin1');
    large.writeBigUInt64BE(BigInt(16 + 1000), 8);
    const head = Buffer.concat([box('ftyp', Buffer.from('isom0000')), box('moov', Buffer.alloc(0))]);
    assert.equal(await shapeOf(Buffer.concat([head, large, Buffer.alloc(1000)])), 'whole');
    assert.equal(await shapeOf(Buffer.concat([head, large, Buffer.alloc(999)])), 'short');
    const toEnd = Buffer.from(large.subarray(0, 8));
    toEnd.writeUInt32BE(0, 0);
    assert.equal(await shapeOf(Buffer.concat([head, toEnd, Buffer.alloc(500)])), 'whole');
  });
});

describe('hasAacAudio', () => {
  const soundDir = mkdtempSync(join(tmpdir(), 'wan-aac-'));
  after(() => rmSync(soundDir, { recursive: true, force: true }));

  test('finds the AAC sample entry in a moov at the start, or at the end of a file over the 1 MB window', async () => {
    const file = join(soundDir, 'sound.mp4');
    writeFileSync(file, fixture);
    assert.equal(await hasAacAudio(file), true);
    const moov = fixture.subarray(32, 3536);
    const late = Buffer.concat([fixture.subarray(0, 32), box('mdat', Buffer.alloc(3 * 1024 * 1024)), moov]);
    writeFileSync(file, late);
    assert.equal(await hasAacAudio(file), true);
    writeFileSync(file, Buffer.from(late).fill(0, late.length - moov.length));
    assert.equal(await hasAacAudio(file), false);
  });
});
