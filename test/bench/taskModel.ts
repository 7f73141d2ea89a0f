// How long simulated tasks wait and run, drawn from what the service shows, with a seeded generator so every
// schedule in a run meets exactly the same tasks.
//
// The model (service time, a 5 s 720P clip):
// - generation, once a task runs: log-normal around 120 s with a log-spread of 0.15 (a clip of one size takes a
//   similar time each run; the spread between runs is what the user's history can learn);
// - queue before it runs (load from everyone else): 70 % short (exponential, mean 15 s), 25 % 30 s–3 min, 5 % 5–9 min;
// - one account runs at most 5 tasks at once (wan-api.md); further tasks wait for a free slot.
// So most tasks finish in 1.5–5 minutes and a few take over 10, as the service's own examples do.

export const GENERATION_MEDIAN_MS = 120_000;
export const GENERATION_SPREAD = 0.15;
export const ACCOUNT_SLOTS = 5;

export type Random = () => number;

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function standardNormal(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function drawGenerationMs(random: Random): number {
  return GENERATION_MEDIAN_MS * Math.exp(GENERATION_SPREAD * standardNormal(random));
}

export function drawQueueMs(random: Random): number {
  const kind = random();
  if (kind < 0.7) return -15_000 * Math.log(1 - random());
  if (kind < 0.95) return 30_000 + random() * 150_000;
  return 300_000 + random() * 240_000;
}

export interface PlannedTask {
  /** from the create call until the service starts it */
  pendingMs: number;
  runningMs: number;
}

/** Tasks created together on one account: each waits for its queue draw and then for one of the account's slots. */
export function planAccount(random: Random, count: number): PlannedTask[] {
  const slotsFreeAt = Array.from({ length: ACCOUNT_SLOTS }, () => 0);
  const planned: PlannedTask[] = [];
  for (let i = 0; i < count; i++) {
    const ready = drawQueueMs(random);
    const runningMs = drawGenerationMs(random);
    const slot = slotsFreeAt.indexOf(Math.min(...slotsFreeAt));
    const start = Math.max(ready, slotsFreeAt[slot]);
    slotsFreeAt[slot] = start + runningMs;
    planned.push({ pendingMs: start, runningMs });
  }
  return planned;
}
