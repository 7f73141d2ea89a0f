// The README's pictures, taken from the real workbench: `npm run screenshots` (not part of npm test) packages the
// extension, drives it in code-server against the Wan test server with the end-to-end suite's helpers, and writes
// media/readme/*.png and generate.gif (ffmpeg makes the GIF). The test server answers every task with
// test/fixtures/readme-clip.mp4, a synthetic 4 s clip made with ffmpeg (gradients, geq waves and moon, a quiet
// 220 Hz tone), not a video Wan made.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { API_KEY, REPO_ROOT, startEnvironment, type Environment } from '../e2e/environment';
import { finish, scriptNewTasks, startRunning, taskFor, UNTIL_MOVED_MS } from '../e2e/service';
import { GENERATE_LENS, waitUntil, Workbench } from '../e2e/workbench';

const README_IMAGES = path.join(REPO_ROOT, 'media', 'readme');
const RUN_OUTPUT = path.join(REPO_ROOT, 'test-output', 'readme');
const MAX_IMAGE_BYTES = 150 * 1024;
const MAX_ANIMATION_BYTES = 400 * 1024;

const BOAT = 'A paper boat drifting down a river at night, moonlight on the water.';
const LANTERNS = 'Paper lanterns floating over a river at night, reflections trembling.';
const HERON = 'A heron in the shallows at dawn, mist on the water.';

/** The part of the page's DOM read here (the tests compile without the DOM library). */
interface PageElement {
  parentElement: PageElement | null;
}
declare function getComputedStyle(element: PageElement): { opacity: string };

const WORKSPACE_FILES = {
  'river.wanprompt': [
    '# Night river sequence. Lines starting with # are comments.',
    '---',
    'resolution: 720P',
    'ratio: 16:9',
    'duration: 5',
    '---',
    '',
    '### Paper boat',
    BOAT,
    '',
    '### Lanterns, three takes',
    '---',
    'seed: 40',
    'variants: 3',
    '---',
    LANTERNS,
    '',
    '### Storm',
    '---',
    'duration: 20',
    '---',
    'A lighthouse in a storm, waves crashing over the rocks.',
    '',
  ].join('\n'),
  'notes.md': ['# Shot list', '', HERON, ''].join('\n'),
};

async function main(): Promise<void> {
  const env = await startEnvironment({
    outputDir: RUN_OUTPUT,
    video: fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'readme-clip.mp4')),
    workspaceFiles: WORKSPACE_FILES,
    // The problem's hover below its line, so the lenses above stay in the picture.
    userSettings: { 'editor.hover.above': false },
  });
  try {
    await takePictures(env);
  } catch (error) {
    await env.page.screenshot({ path: path.join(RUN_OUTPUT, 'FAILED.png') }).catch(() => undefined);
    throw error;
  } finally {
    await env.stop();
  }
}

async function takePictures(env: Environment): Promise<void> {
  const { page, wan } = env;
  const workbench = new Workbench(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(env.url);
  await workbench.waitUntilReady();
  // As on the first start after installing: the walkthrough is open while the user does its steps.
  await openWalkthrough(workbench);

  await page.locator('.getting-started-step', { hasText: 'Set your API key' }).click();
  await page.locator('.getting-started-step.expanded').getByText('Set API Key', { exact: true }).click();
  await workbench.answerInputBox(API_KEY, { password: true });
  await workbench.notification(/^API key saved/).waitFor();
  await workbench.openWanView();
  await widenSideBar(page, 240);

  // The three takes of the lanterns: two finished, one still running.
  scriptNewTasks(wan, { pendingMs: UNTIL_MOVED_MS, runningMs: UNTIL_MOVED_MS });
  await workbench.openFile('river.wanprompt');
  await workbench.codeLens(/Generate 3 videos/).click();
  const takes = await waitUntil('the three takes to reach the service', async () => {
    const created = [...wan.tasks.values()].filter((task) => String(JSON.stringify(task.body)).includes(LANTERNS.slice(0, 30)));
    return created.length === 3 ? created : undefined;
  });
  for (const task of takes) startRunning(task);
  for (const task of takes.slice(0, 2)) finish(task);

  // A sentence of the notes, still queued.
  await workbench.openFile('notes.md');
  await workbench.selectLine(3);
  await workbench.contextMenu(page.locator('.monaco-editor .view-line', { hasText: HERON }).locator(':scope > span'), 'Generate Video from Selection');
  await workbench.waitForTaskStatus(workbench.taskRow(HERON.slice(0, 30)), 'queued', 'clock');

  // The paper boat, generated from its lens, done: its preview opens by itself. Filmed for the animation.
  const film = new Film(page);
  await workbench.openFile('river.wanprompt');
  await workbench.runCommand('Notifications: Clear All Notifications');
  const lens = workbench.codeLens(GENERATE_LENS).first();
  const lensBox = await lens.boundingBox();
  assert.ok(lensBox, 'the Generate lens is on screen');
  await page.mouse.move(lensBox.x + lensBox.width / 2, lensBox.y + lensBox.height / 2);
  await film.frame(1.5);
  await page.mouse.click(lensBox.x + lensBox.width / 2, lensBox.y + lensBox.height / 2);
  const boatRow = workbench.taskRow('Paper boat');
  await workbench.waitForTaskStatus(boatRow, 'queued', 'clock');
  await film.frame(1.2);
  const boat = await waitUntil('the paper boat to reach the service', async () => taskFor(wan, BOAT));
  startRunning(boat);
  await workbench.waitForTaskStatus(boatRow, 'running', 'loading');
  await film.frame(1.2);
  finish(boat);
  await workbench.activeTab.filter({ hasText: /\.mp4/ }).waitFor({ timeout: 60_000 });
  await waitUntil('the preview to load its video', async () => (await workbench.videoState()).readyState === 4);
  await film.frame(1.2);
  await workbench.preview.locator('video').click();
  await waitUntil('the video to play', async () => (await workbench.videoState()).currentTime > 0.5);
  await film.frame(0.6);
  await waitUntil('the video to play on', async () => (await workbench.videoState()).currentTime > 1);
  await workbench.runCommand('Notifications: Clear All Notifications');
  await page.mouse.move(640, 790);
  await film.frame(2.5);
  await film.save('generate');
  await picture(page, 'tasks-and-preview');

  // The prompt file: lenses above each prompt, the mistake underlined, its message on hover.
  await workbench.runCommand('View: Close All Editors');
  await workbench.openFile('river.wanprompt');
  await page.keyboard.press('Control+Home');
  // Pointing by position: Playwright's own hover would scroll the editor's layers out of place first.
  const squiggle = await workbench.squiggles.first().boundingBox();
  assert.ok(squiggle, 'the mistake is underlined on screen');
  await page.mouse.move(squiggle.x + squiggle.width / 2, squiggle.y + squiggle.height / 2);
  const hover = page.locator('.monaco-hover .hover-row', { hasText: 'duration must be' }).first();
  await hover.waitFor();
  await waitUntil('the hover to finish fading in', () => hover.evaluate((row: PageElement) => {
    for (let element: PageElement | null = row; element; element = element.parentElement) {
      if (getComputedStyle(element).opacity !== '1') return false;
    }
    return true;
  }));
  await picture(page, 'prompt-file');

  // The lanterns' three takes compared: the third lands, all three play together, the second is kept.
  finish(takes[2]);
  await page.keyboard.press('Escape');
  // The batch's last take opens its preview (wan.openPreviewOnSuccess): then back to the prompt file and its lens.
  await workbench.activeTab.filter({ hasText: /seed42\.mp4/ }).waitFor({ timeout: 60_000 });
  await workbench.runCommand('View: Close All Editors');
  await workbench.openFile('river.wanprompt');
  await workbench.codeLens(/Compare 3 takes/).click();
  const grid = workbench.preview;
  await waitUntil('three videos in the grid', async () => (await grid.locator('video').evaluateAll((videos: { readyState: number }[]) => videos.filter((v) => v.readyState >= 2).length)) === 3, 60_000);
  await grid.locator('.toolbar .play').click();
  await grid.locator('.tile').nth(1).locator('.caption').click();
  await page.keyboard.press('k');
  await grid.locator('.tile.kept').waitFor();
  await waitUntil('the takes to play on', async () => (await grid.locator('video').first().evaluate((v: { currentTime: number }) => v.currentTime)) > 1.5);
  await workbench.runCommand('Notifications: Clear All Notifications');
  await picture(page, 'compare-takes');

  // The walkthrough, every step ticked off by what was done above.
  await page.mouse.move(640, 790);
  await page.keyboard.press('Escape');
  await workbench.runCommand('View: Close Primary Side Bar');
  // Taller, so that all five steps and the open one fit.
  await page.setViewportSize({ width: 1280, height: 960 });
  await openWalkthrough(workbench);
  await page.locator('.getting-started-step', { hasText: 'Watch the preview' }).click();
  const done = await page.locator('.getting-started-step .codicon.complete').count();
  assert.equal(done, 5, `the walkthrough ticked off ${done} of its 5 steps`);
  await picture(page, 'walkthrough');
}

async function openWalkthrough(workbench: Workbench): Promise<void> {
  await workbench.runCommand('Welcome: Open Walkthrough...');
  await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Make your first video with Wan' }).click();
  await workbench.page.locator('.getting-started-step').first().waitFor();
}

/** Drags the side bar's edge to the right, so the tasks' descriptions fit. */
async function widenSideBar(page: Environment['page'], by: number): Promise<void> {
  const sideBar = await page.locator('[id="workbench.parts.sidebar"]').boundingBox();
  assert.ok(sideBar, 'the side bar is open');
  const x = sideBar.x + sideBar.width;
  const y = sideBar.y + sideBar.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + by, y, { steps: 10 });
  await page.mouse.up();
}

/** A PNG of the window, shrunk to 256 colours with ffmpeg when it is over the size the README allows. */
async function picture(page: Environment['page'], name: string): Promise<void> {
  fs.mkdirSync(README_IMAGES, { recursive: true });
  const file = path.join(README_IMAGES, `${name}.png`);
  await page.screenshot({ path: file });
  const taken = fs.statSync(file).size;
  if (taken > MAX_IMAGE_BYTES) {
    const shrunk = `${file}.tmp.png`;
    const result = spawnSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', file, '-vf', 'split[a][b];[a]palettegen=max_colors=256[p];[b][p]paletteuse=dither=none', shrunk]);
    if (result.status !== 0) throw new Error(`${name}.png is ${kb(taken)} (at most ${kb(MAX_IMAGE_BYTES)}) and ffmpeg could not shrink it: ${result.error?.message ?? result.stderr}`);
    fs.renameSync(shrunk, file);
  }
  const size = fs.statSync(file).size;
  assert.ok(size <= MAX_IMAGE_BYTES, `${name}.png is ${kb(size)}, over ${kb(MAX_IMAGE_BYTES)}`);
  console.log(`${path.relative(REPO_ROOT, file)}: ${kb(size)}${size === taken ? '' : ` (${kb(taken)} before 256 colours)`}`);
}

/** Frames of the window, each shown for its own time, made into a looping GIF (with ffmpeg) of at most 400 KB. */
class Film {
  private readonly frames: { file: string; seconds: number }[] = [];

  constructor(private readonly page: Environment['page']) {}

  async frame(seconds: number): Promise<void> {
    const file = path.join(RUN_OUTPUT, `frame-${this.frames.length}.png`);
    await this.page.screenshot({ path: file });
    this.frames.push({ file, seconds });
  }

  async save(name: string): Promise<void> {
    const list = path.join(RUN_OUTPUT, `${name}-frames.txt`);
    // The concat demuxer takes the last frame's duration only when the frame is listed once more after it.
    const last = this.frames[this.frames.length - 1];
    fs.writeFileSync(list, [...this.frames.map((f) => `file '${f.file}'\nduration ${f.seconds}`), `file '${last.file}'`].join('\n') + '\n');
    const file = path.join(README_IMAGES, `${name}.gif`);
    const filters = 'fps=5,scale=960:-1:flags=lanczos,split[a][b];[a]palettegen=max_colors=128:stats_mode=diff[p];[b][p]paletteuse=dither=none:diff_mode=rectangle';
    const result = spawnSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-vf', filters, '-loop', '0', file]);
    if (result.status !== 0) throw new Error(`ffmpeg could not make ${name}.gif: ${result.error?.message ?? result.stderr}`);
    const size = fs.statSync(file).size;
    assert.ok(size <= MAX_ANIMATION_BYTES, `${name}.gif is ${kb(size)}, over ${kb(MAX_ANIMATION_BYTES)}`);
    console.log(`${path.relative(REPO_ROOT, file)}: ${kb(size)}, ${this.frames.length} frames`);
  }
}

function kb(bytes: number): string {
  return `${Math.round(bytes / 1024)} KB`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
