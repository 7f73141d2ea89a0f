// Compare Takes in Chromium: how far apart the takes' videos are after 30 s of playing together, on the grid's own
// page (media/compare.js with its sync) and, as the reference in the same run, the same videos started together on a
// plain page without any sync. The clip: a 40 s 30 fps H.264 test pattern made by Debian's ffmpeg.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium, requireChromium } from '../vscode/codeServer';
import { repoRoot } from './repo';

export const CLIP_FPS = 30;
const PLAY_MS = 30_000;

export interface DriftFigures {
  takes: number;
  /** Largest minus smallest currentTime across the videos, in ms, at 30 s. */
  syncedMs: number;
  /** The largest spread over the last 5 s before it. */
  syncedWorstLast5sMs: number;
  unsyncedMs: number;
  unsyncedWorstLast5sMs: number;
}

/** What a page reads at one moment: every video's currentTime (the tests compile without the DOM library). */
const READ_TIMES = `[...document.querySelectorAll('video')].map((v) => v.currentTime)`;

export async function runCompareSync(counts: readonly number[], progress: (line: string) => void): Promise<DriftFigures[]> {
  requireChromium();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-compare-bench-'));
  const browser = await launchChromium();
  try {
    const clips = makeClips(dir, Math.max(...counts));
    const figures: DriftFigures[] = [];
    for (const takes of counts) {
      progress(`compare takes: ${takes} videos, 30 s with the grid's sync, then 30 s without…`);
      const synced = await playFor(await browser.newPage(), gridPage(dir, clips.slice(0, takes)), '.toolbar .play');
      const unsynced = await playFor(await browser.newPage(), plainPage(dir, clips.slice(0, takes)), '#play');
      figures.push({ takes, syncedMs: synced.atEnd, syncedWorstLast5sMs: synced.worstLast5s, unsyncedMs: unsynced.atEnd, unsyncedWorstLast5sMs: unsynced.worstLast5s });
    }
    return figures;
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function makeClips(dir: string, count: number): string[] {
  const first = path.join(dir, 'take-1.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `testsrc=size=320x180:rate=${CLIP_FPS}`, '-t', '40', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '30', first]);
  const clips = [first];
  for (let i = 2; i <= count; i++) {
    const copy = path.join(dir, `take-${i}.mp4`);
    fs.copyFileSync(first, copy);
    clips.push(copy);
  }
  return clips;
}

/** The grid's own page and script, given its takes as the extension posts them; the webview API stands in. */
function gridPage(dir: string, clips: string[]): string {
  const media = path.join(repoRoot(), 'media');
  const takes = clips.map((clip, i) => ({ taskId: `t${i}`, seed: i, differences: [], src: pathToFileURL(clip).href, status: 'succeeded', active: false, kept: false, discarded: false, silentHere: false }));
  const message = { type: 'takes', taskIds: takes.map((t) => t.taskId), takes, labels: { play: 'Play', pause: 'Pause', seed: 'seed {0}' } };
  const file = path.join(dir, `grid-${clips.length}.html`);
  fs.writeFileSync(file, `<!DOCTYPE html><html><head><link rel="stylesheet" href="${pathToFileURL(path.join(media, 'compare.css')).href}"></head><body>
<script>window.acquireVsCodeApi = () => ({ postMessage() {}, getState() { return undefined; }, setState() {} });</script>
<script src="${pathToFileURL(path.join(media, 'compareSync.js')).href}"></script>
<script src="${pathToFileURL(path.join(media, 'compare.js')).href}"></script>
<script>window.postMessage(${JSON.stringify(message)}, '*');</script>
</body></html>`);
  return pathToFileURL(file).href;
}

/** The same videos in the same grid, started in one go with nothing keeping them together. */
function plainPage(dir: string, clips: string[]): string {
  const file = path.join(dir, `plain-${clips.length}.html`);
  const videos = clips.map((clip) => `<video muted preload="auto" src="${pathToFileURL(clip).href}" style="width:30%"></video>`).join('');
  fs.writeFileSync(file, `<!DOCTYPE html><html><body><button id="play">Play</button>${videos}
<script>document.getElementById('play').addEventListener('click', () => { for (const v of document.querySelectorAll('video')) v.play(); });</script>
</body></html>`);
  return pathToFileURL(file).href;
}

async function playFor(page: Page, url: string, playButton: string): Promise<{ atEnd: number; worstLast5s: number }> {
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(url);
    await page.waitForFunction(`(() => { const v = [...document.querySelectorAll('video')]; return v.length > 0 && v.every((x) => x.readyState >= 3); })()`, undefined, { timeout: 30_000 });
    await page.click(playButton);
    const started = Date.now();
    const spreads: { at: number; ms: number }[] = [];
    while (Date.now() - started < PLAY_MS) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const times = (await page.evaluate(READ_TIMES)) as number[];
      spreads.push({ at: Date.now() - started, ms: (Math.max(...times) - Math.min(...times)) * 1000 });
    }
    const last5s = spreads.filter((s) => s.at >= PLAY_MS - 5000).map((s) => s.ms);
    return { atEnd: spreads[spreads.length - 1].ms, worstLast5s: Math.max(...last5s) };
  } finally {
    await page.close();
  }
}
