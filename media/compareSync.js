// The Compare Takes grid's sync rule, alone so that a unit test can check it (test/unit/preview/compareSync.test.ts):
// how a follower video corrects its offset from the leader. The page loads it before media/compare.js (the global
// compareSync); Node requires it.
(function () {
  /** Further off than this, a follower jumps to the leader's time; nearer, it is nudged by its playback rate. */
  const JUMP_S = 0.3;
  /** Within this (well under a frame), a follower runs at normal speed. */
  const CLOSE_S = 0.004;
  /** How strongly a nudge corrects: the rate moves by GAIN × the offset, within ±MAX_NUDGE. */
  const GAIN = 2;
  const MAX_NUDGE = 0.15;

  /** A follower `offsetSeconds` ahead of the leader (behind: negative): jump to the leader's time, or play at `rate`. */
  function followerCorrection(offsetSeconds) {
    const distance = Math.abs(offsetSeconds);
    if (distance > JUMP_S) return { jump: true, rate: 1 };
    if (distance > CLOSE_S) return { jump: false, rate: 1 - Math.max(-MAX_NUDGE, Math.min(MAX_NUDGE, offsetSeconds * GAIN)) };
    return { jump: false, rate: 1 };
  }

  const compareSync = { followerCorrection, JUMP_S, CLOSE_S, MAX_NUDGE };
  if (typeof module === 'object') module.exports = compareSync;
  else globalThis.compareSync = compareSync;
})();
