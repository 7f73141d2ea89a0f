// The Compare Takes grid's sync rule (media/compareSync.js, which the grid's page loads before media/compare.js): how a
// follower video corrects its offset from the leader. The drift it gives in Chromium is measured in npm run bench.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as vm from 'node:vm';

interface Correction {
  jump: boolean;
  rate: number;
}
interface CompareSync {
  followerCorrection(offsetSeconds: number): Correction;
  JUMP_S: number;
  CLOSE_S: number;
  MAX_NUDGE: number;
}

const FILE = path.resolve(__dirname, '../../../../media/compareSync.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a webview script, plain JavaScript outside src/
const sync = require(FILE) as CompareSync;
const FRAME_S = 1 / 30;

describe('Compare Takes sync: a follower video and the leader', () => {
  it('a follower ahead slows down, one behind speeds up, in proportion to how far off it is', () => {
    const ahead = sync.followerCorrection(0.02);
    const behind = sync.followerCorrection(-0.02);
    assert.deepEqual([ahead.jump, behind.jump], [false, false]);
    assert.ok(ahead.rate < 1 && behind.rate > 1, `ahead ${ahead.rate}, behind ${behind.rate}`);
    assert.ok(Math.abs(1 - ahead.rate - (behind.rate - 1)) < 1e-9, 'as much either way');
    assert.ok(sync.followerCorrection(0.04).rate < ahead.rate, 'further ahead: slower');
  });

  it('within well under a frame it plays at normal speed', () => {
    assert.ok(sync.CLOSE_S < FRAME_S / 4);
    for (const offset of [0, sync.CLOSE_S / 2, -sync.CLOSE_S / 2]) assert.deepEqual(sync.followerCorrection(offset), { jump: false, rate: 1 });
  });

  it('far off it jumps to the leader\'s time, at normal speed', () => {
    for (const offset of [sync.JUMP_S + 0.01, -(sync.JUMP_S + 0.01), 5, -5]) assert.deepEqual(sync.followerCorrection(offset), { jump: true, rate: 1 });
    assert.equal(sync.followerCorrection(sync.JUMP_S - 0.01).jump, false);
  });

  it('the rate stays within 1 ± MAX_NUDGE however far off, short of a jump', () => {
    assert.ok(sync.MAX_NUDGE > 0 && sync.MAX_NUDGE < 1, 'the rate stays positive');
    for (let offset = -sync.JUMP_S; offset <= sync.JUMP_S; offset += 0.005) {
      const { rate } = sync.followerCorrection(offset);
      assert.ok(rate >= 1 - sync.MAX_NUDGE - 1e-9 && rate <= 1 + sync.MAX_NUDGE + 1e-9, `offset ${offset}: rate ${rate}`);
    }
    assert.equal(sync.followerCorrection(sync.JUMP_S - 0.001).rate, 1 - sync.MAX_NUDGE);
    assert.equal(sync.followerCorrection(-(sync.JUMP_S - 0.001)).rate, 1 + sync.MAX_NUDGE);
  });

  it('in the page (a plain script, no module) it is the global compareSync, which media/compare.js reads', () => {
    const page: { compareSync?: CompareSync } = {};
    vm.runInNewContext(readFileSync(FILE, 'utf8'), page);
    assert.equal(page.compareSync?.followerCorrection(10).jump, true);
  });
});
