import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { inflateSync } from 'node:zlib';
import { readMediaInfo } from '../../../src/media';
import { flattenPng } from '../../../src/prompt/flattenPng';
import { png } from '../media/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'wan-flatten-'));

/** The first pixel of an RGB PNG written with filter 0 (what flattenPng writes). */
function firstPixel(bytes: Buffer): number[] {
  const idat = bytes.indexOf('IDAT', 0, 'latin1');
  const length = bytes.readUInt32BE(idat - 4);
  const raw = inflateSync(bytes.subarray(idat + 4, idat + 4 + length));
  return [...raw.subarray(1, 4)];
}

describe('flattening a PNG with transparency', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('RGBA, grey + alpha and a tRNS colour key become opaque RGB over white, with the same sides', async () => {
    const cases: [string, Buffer, number[]][] = [
      ['rgba.png', png(300, 250, { colourType: 6 }), [191, 191, 191]], // 0x80 at alpha 0x80: half way to white
      ['grey-alpha.png', png(300, 250, { colourType: 4 }), [191, 191, 191]],
      ['keyed.png', png(300, 250, { transparent: true }), [128, 128, 128]], // the key (0, 0, 0) is not the pixel's colour
    ];
    for (const [name, bytes, pixel] of cases) {
      const flat = flattenPng(bytes);
      assert.ok(flat, name);
      const file = join(dir, name);
      writeFileSync(file, flat);
      const read = await readMediaInfo(file);
      assert.ok('info' in read && read.info.kind === 'image', name);
      assert.deepEqual([read.info.width, read.info.height, read.info.alpha], [300, 250, false], name);
      assert.deepEqual(firstPixel(flat), pixel, name);
    }
  });

  test('a file that is not a PNG is left alone', () => {
    assert.equal(flattenPng(Buffer.from('not a png at all, not at all, no')), undefined);
  });
});
