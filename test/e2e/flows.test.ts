// The whole product driven through the real workbench as a person would: code-server in Chromium, keyboard and clicks,
// the packaged extension against the Wan test server. The flows run in order in one browser profile (it holds the key).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { AGENT_INPUT, API_KEY, SCREENSHOT_DIR, startEnvironment, type Environment } from './environment';
import { finish, scriptNewTasks, startRunning, taskFor, UNTIL_MOVED_MS } from './service';
import { stepsOf } from './steps';
import { GENERATE_LENS, TASK_CHANGE_TIMEOUT_MS, waitUntil, Workbench, type VideoElement } from './workbench';

const FLOW_TIMEOUT_MS = 4 * 60_000;

const BOAT = 'A paper boat drifting down a rain-soaked street at night, neon reflections on the water.';
const CROWD = 'A crowd of masked figures storming a building, smoke everywhere.';
const LIGHTHOUSE = 'A lighthouse in a storm, waves crashing over the rocks.';
const KITE = 'A red kite over a windy beach, late afternoon';
const OWL = 'An owl turning its head in the moonlight';
const SNAIL = 'A snail crossing a wet leaf, macro lens';
const GIRL = 'The girl turns to the window and smiles';
const SNOW = 'Turn the street into a snowy winter evening.';
const LANTERN = 'A paper lantern drifting over a river at night.';
const DRUMMER = 'A drummer on a rooftop at dawn, the city waking below';

let env: Environment;
let workbench: Workbench;
const started = Date.now();

before(async () => {
  env = await startEnvironment();
  workbench = new Workbench(env.page);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping Chromium, code-server and the Wan test server…`);
      void env.stop().finally(() => process.exit(code));
    });
  }
});

after(async () => {
  await env?.stop();
  const shots = fs.existsSync(SCREENSHOT_DIR) ? fs.readdirSync(SCREENSHOT_DIR).filter((file) => file.endsWith('.png')) : [];
  console.log(`End-to-end suite: ${((Date.now() - started) / 1000).toFixed(1)} s in all. Screenshots (${shots.length}) in ${path.relative(process.cwd(), SCREENSHOT_DIR)}/: ${shots.join(', ')}`);
});

/** Selects the sentence on a line of notes.md; returns its text on screen, which lies inside the selection. */
async function selectSentence(line: number, sentence: string): Promise<Locator> {
  await workbench.openFile('notes.md');
  await workbench.selectLine(line);
  await waitUntil('the status bar to count the whole sentence as selected', async () => (await workbench.statusBarSelection())?.includes(`(${sentence.length} selected)`));
  return env.page.locator('.monaco-editor .view-line', { hasText: sentence }).locator(':scope > span');
}

/** ▶ in the Tasks view's title with no text editor open: the extension asks for the prompt. */
async function generateFromViewTitle(prompt: string): Promise<void> {
  await workbench.viewTitleAction('Generate Video from Selection').click();
  await workbench.quickInput.waitFor();
  assert.equal(await workbench.quickInputTitle(), 'Generate a video');
  await workbench.answerInputBox(prompt);
}

function lastCreate(): { prompt: string; parameters: Record<string, unknown> } {
  const body = env.wan.requestsTo('create').at(-1)?.json as { input: { prompt: string }; parameters: Record<string, unknown> } | undefined;
  assert.ok(body, 'the service received a create request');
  return { prompt: body.input.prompt, parameters: body.parameters };
}

async function waitForVideoReady(): Promise<void> {
  // HAVE_ENOUGH_DATA
  await waitUntil('the preview\'s video to have enough data to play', async () => (await workbench.videoState()).readyState === 4);
}

/** Clicks the preview's video and waits until it plays. */
async function clickToPlay(): Promise<void> {
    await workbench.preview.locator('video').click();
    await waitUntil('the video\'s time to advance', async () => {
      const state = await workbench.videoState();
      return state.error === null && state.readyState === 4 && state.currentTime > 0.2;
    });
}

test('1. first run: the Wan view welcomes; Wan: Set API Key from the command palette takes the key in a password box', { timeout: FLOW_TIMEOUT_MS }, async () => {
  const step = stepsOf(workbench, '1-first-run');
  await step('open the workbench', async () => {
    await env.page.goto(env.url);
    await workbench.waitUntilReady();
  });
  await step('click the Wan icon in the activity bar: the view explains what to do and offers Set API Key', async () => {
    await workbench.wanActivity.click();
    await workbench.wanView.waitFor();
    await workbench.welcome.getByText('Set the API key of your endpoint to start').waitFor();
    assert.deepEqual(await workbench.welcome.locator('.monaco-button').allTextContents(), ['Set API Key', 'Choose Endpoint']);
  });
  await workbench.screenshot('1-welcome');
  await step('run "Wan: Set API Key" from the command palette: a password box for the test server asks for the key', async () => {
    await workbench.runCommand('Wan: Set API Key');
    await env.page.locator('.quick-input-widget input[type="password"]').waitFor();
    assert.match((await workbench.quickInputTitle()) ?? '', /^Wan API key for 127\.0\.0\.1:\d+$/);
  });
  await step('type the key and press Enter', () => workbench.answerInputBox(API_KEY, { password: true }));
  await step('the key is saved and the view now offers to generate', async () => {
    await workbench.notification(/^API key saved for 127\.0\.0\.1:\d+\.$/).waitFor();
    await workbench.welcome.getByText('No video tasks yet').waitFor();
    assert.deepEqual(await workbench.welcome.locator('.monaco-button').allTextContents(), ['Generate Video from Selection', 'Generate Video from Prompt File']);
  });
  await workbench.screenshot('1-key-saved');
});

test('2. a selected sentence, right-click, Generate Video from Selection: the tree follows the task and the preview plays it', { timeout: FLOW_TIMEOUT_MS }, async () => {
  const step = stepsOf(workbench, '2-selection');
  await step('start from a quiet window', () => workbench.tidy());
  const selection = await step('open notes.md and select the sentence', () => selectSentence(3, BOAT));
  scriptNewTasks(env.wan, { pendingMs: UNTIL_MOVED_MS, runningMs: UNTIL_MOVED_MS });
  const createsBefore = env.wan.requestsTo('create').length;
  await step('right-click the selection and choose "Generate Video from Selection"', () => workbench.contextMenu(selection, 'Generate Video from Selection'));
  const row = workbench.taskRow(BOAT.slice(0, 40));
  await step('the task appears in the tree: queued, with a clock', () => workbench.waitForTaskStatus(row, 'queued', 'clock'));
  await step('the service received the selected sentence once, with the settings\' parameters', async () => {
    assert.equal(env.wan.requestsTo('create').length, createsBefore + 1);
    const { prompt, parameters } = lastCreate();
    assert.equal(prompt, BOAT);
    assert.equal(parameters.resolution, '720P');
    assert.equal(parameters.duration, 5);
  });
  await workbench.screenshot('2-queued');

  const task = taskFor(env.wan, BOAT);
  assert.ok(task);
  startRunning(task);
  await step('the service starts it: running, with a spinner', () => workbench.waitForTaskStatus(row, 'running', 'loading'));
  await workbench.screenshot('2-running');
  finish(task);
  await step('the service finishes it: succeeded, with a check', () => workbench.waitForTaskStatus(row, 'succeeded', 'pass-filled'));
  await step('the preview opens on the downloaded video', async () => {
    await workbench.activeTab.filter({ hasText: /^a-paper-boat.*\.mp4/ }).waitFor({ timeout: TASK_CHANGE_TIMEOUT_MS });
    await waitForVideoReady();
  });
  await step('click the video: it plays', clickToPlay);
  await workbench.screenshot('2-preview-playing');
  // Paused first, so its place is exact (a playing page saves it at each timeupdate, up to 250 ms apart) and coming
  // back does not depend on the webview allowing autoplay.
  await step('click the video again: it pauses', async () => {
    await workbench.preview.locator('video').click();
    await waitUntil('the video to pause', async () => (await workbench.videoState()).paused);
  });
  await step('switch to notes.md and back: the video is paused where it was, not back at the start', async () => {
    const before = (await workbench.videoState()).currentTime;
    assert.ok(before > 0.2, `paused at ${before} s`);
    await workbench.openFile('notes.md');
    await workbench.editorTab(/^a-paper-boat.*\.mp4/).click();
    await waitUntil(`the video to be back at ${before} s`, async () => {
      const state = await workbench.videoState();
      return state.readyState >= 1 && state.paused && Math.abs(state.currentTime - before) < 0.05;
    });
  });
});

test('3. a prompt file: an invalid value is underlined and listed in Problems, and nothing is submitted until it is fixed', { timeout: FLOW_TIMEOUT_MS }, async () => {
  const step = stepsOf(workbench, '3-prompt-file');
  await step('start from a quiet window', () => workbench.tidy());
  await step('open storm.wanprompt: "duration: 20" is underlined', async () => {
    await workbench.openFile('storm.wanprompt');
    const squiggle = await workbench.squiggles.first().boundingBox();
    const value = await env.page.locator('.monaco-editor .view-line', { hasText: 'duration: 20' }).boundingBox();
    assert.ok(squiggle && value, 'both the squiggle and the line are on screen');
    assert.ok(Math.abs(squiggle.y + squiggle.height / 2 - (value.y + value.height / 2)) < value.height, 'the squiggle is on the duration line');
  });
  await step('the lens above the prompt says to fix the problem; clicking it opens the Problems panel, which lists it', async () => {
    await workbench.codeLens(/^\s*Fix 1 problem\(s\) to generate\s*$/).click();
    await workbench.problemRows().filter({ hasText: 'duration must be a whole number of seconds from 2 to 15; got 20.' }).waitFor();
    assert.equal(await workbench.codeLens(GENERATE_LENS).count(), 0, 'no Generate lens while the file has a problem');
  });
  const createsBefore = env.wan.requestsTo('create').length;
  await step('press ▶ "Generate Video from Prompt File" in the editor title anyway: refused, with the line and the reason', async () => {
    await workbench.editorTitleAction('Generate Video from Prompt File').click();
    const refusal = workbench.notification(/cannot be submitted/);
    await refusal.waitFor();
    const text = await workbench.notificationText(refusal);
    assert.match(text, /storm\.wanprompt, line 4: duration must be a whole number of seconds from 2 to 15; got 20\. Nothing was submitted\./);
    assert.equal(env.wan.requestsTo('create').length, createsBefore, 'nothing reached the service');
  });
  await workbench.screenshot('3-invalid-value');
  await step('change the value to 4 and save: the squiggle and the problem go away, the lens offers Generate', async () => {
    await workbench.runCommand('Notifications: Clear All Notifications');
    await env.page.locator('.monaco-editor .view-line', { hasText: 'duration: 20' }).click();
    await env.page.keyboard.press('End');
    await env.page.keyboard.press('Shift+Home');
    await env.page.keyboard.type('duration: 4');
    await env.page.keyboard.press('Control+S');
    await workbench.squiggles.first().waitFor({ state: 'detached' });
    await workbench.problemsPanel.getByText('No problems have been detected in the workspace.').waitFor();
    await workbench.codeLens(GENERATE_LENS).waitFor();
  });
  scriptNewTasks(env.wan, { pendingMs: 0, runningMs: 0 });
  await step('click the Generate lens: the file is submitted with its own parameters', async () => {
    await workbench.codeLens(GENERATE_LENS).click();
    await workbench.taskRow(LIGHTHOUSE.slice(0, 30)).waitFor();
    assert.equal(env.wan.requestsTo('create').length, createsBefore + 1);
    const { prompt, parameters } = lastCreate();
    assert.equal(prompt, LIGHTHOUSE);
    assert.equal(parameters.duration, 4);
  });
  await workbench.screenshot('3-fixed-and-submitted');
  await step('the task finishes and its preview opens', async () => {
    await workbench.waitForTaskStatus(workbench.taskRow(LIGHTHOUSE.slice(0, 30)), 'succeeded', 'pass-filled');
    await workbench.activeTab.filter({ hasText: /^storm.*\.mp4/ }).waitFor({ timeout: TASK_CHANGE_TIMEOUT_MS });
  });
});

test('4. reload the window while a task runs: the task is still there and completes, the open preview comes back', { timeout: FLOW_TIMEOUT_MS }, async () => {
  const step = stepsOf(workbench, '4-reload');
  await step('start from a quiet window', () => workbench.tidy());
  await step('click the paper boat task in the tree: its preview opens', async () => {
    await workbench.taskRow(BOAT.slice(0, 40)).click();
    await workbench.activeTab.filter({ hasText: /^a-paper-boat.*\.mp4/ }).waitFor();
    await waitForVideoReady();
  });
  scriptNewTasks(env.wan, { pendingMs: 0, runningMs: UNTIL_MOVED_MS });
  await step('▶ in the Tasks view, type a prompt', () => generateFromViewTitle(KITE));
  const row = workbench.taskRow(KITE);
  await step('the task runs', () => workbench.waitForTaskStatus(row, 'running', 'loading'));
  await workbench.screenshot('4-before-reload');
  await step('run "Developer: Reload Window"', async () => {
    const reloaded = env.page.waitForEvent('load', { timeout: 60_000 });
    await workbench.runCommand('Developer: Reload Window');
    await reloaded;
    await workbench.waitUntilReady();
  });
  await step('after the reload the Wan view is back, the task still in it, running', async () => {
    await workbench.wanView.waitFor({ timeout: 60_000 });
    await workbench.waitForTaskStatus(row, 'running', 'loading');
  });
  await step('the preview that was open comes back, its video loaded', async () => {
    await workbench.activeTab.filter({ hasText: /^a-paper-boat.*\.mp4/ }).waitFor({ timeout: 60_000 });
    await waitForVideoReady();
  });
  await workbench.screenshot('4-after-reload');
  const task = taskFor(env.wan, KITE);
  assert.ok(task);
  finish(task);
  await step('the task completes after the reload, and its video is previewed', async () => {
    await workbench.waitForTaskStatus(row, 'succeeded', 'pass-filled');
    await workbench.activeTab.filter({ hasText: /^a-red-kite.*\.mp4/ }).waitFor({ timeout: TASK_CHANGE_TIMEOUT_MS });
    await waitForVideoReady();
  });
  await workbench.screenshot('4-completed');
});

test('5. a task the content check rejects, and a key the service rejects: messages say what to do, and their buttons work', { timeout: FLOW_TIMEOUT_MS }, async () => {
  const step = stepsOf(workbench, '5-failures');
  await step('start from a quiet window', () => workbench.tidy());
  const selection = await step('open notes.md and select the second sentence', () => selectSentence(5, CROWD));
  scriptNewTasks(env.wan, { pendingMs: 0, runningMs: 0, outcome: 'FAILED', code: 'DataInspectionFailed', message: 'Input data may contain inappropriate content.' });
  await step('right-click, "Generate Video from Selection", then close the editor', async () => {
    await workbench.contextMenu(selection, 'Generate Video from Selection');
    await workbench.taskRow(CROWD.slice(0, 30)).waitFor();
    await workbench.runCommand('View: Close All Editors');
  });
  const failed = workbench.notification(/^Video task ".*" failed: /);
  await step('the task fails: an error icon, and a message that says to change the prompt', async () => {
    await workbench.waitForTaskStatus(workbench.taskRow(CROWD.slice(0, 30)), 'failed', 'error');
    await failed.waitFor();
    const text = await workbench.notificationText(failed);
    assert.match(text, /DataInspectionFailed/);
    assert.equal(text.split('Change the prompt').length - 1, 1, `the advice is given once: ${text}`);
    assert.deepEqual(await workbench.notificationButtons(failed), ['Edit Prompt']);
  });
  await workbench.screenshot('5-content-rejected');
  await step('"Edit Prompt" opens the note the prompt came from', async () => {
    await workbench.clickNotificationButton(failed, 'Edit Prompt');
    await workbench.activeTab.filter({ hasText: 'notes.md' }).waitFor();
  });

  await step('set a wrong key with "Wan: Set API Key"', async () => {
    await workbench.tidy();
    await workbench.runCommand('Wan: Set API Key');
    await workbench.answerInputBox('sk-e2e-wrong-key', { password: true });
    await workbench.notification(/^API key saved/).waitFor();
    await workbench.runCommand('Notifications: Clear All Notifications');
  });
  const rejected = workbench.notification(/rejected the API key/);
  await step('generate: the service answers 401, and the message says to set the right key', async () => {
    const createsBefore = env.wan.requestsTo('create').length;
    await generateFromViewTitle(OWL);
    await rejected.waitFor();
    assert.match(await workbench.notificationText(rejected), /401 InvalidApiKey.*Set the right API key/);
    assert.deepEqual(await workbench.notificationButtons(rejected), ['Set API Key', 'Open Settings']);
    assert.equal(env.wan.requestsTo('create').length, createsBefore + 1);
    assert.equal(await workbench.taskRow(OWL).count(), 0, 'no task was created');
  });
  await workbench.screenshot('5-key-rejected');
  await step('"Open Settings" shows the endpoint setting', async () => {
    await workbench.clickNotificationButton(rejected, 'Open Settings');
    await env.page.locator('.settings-editor .setting-item-contents').filter({ hasText: 'Which service generates the videos' }).first().waitFor();
  });
  await workbench.screenshot('5-open-settings');
  await step('generate again: rejected again; "Set API Key" opens the password box', async () => {
    await workbench.tidy();
    await generateFromViewTitle(OWL);
    await rejected.waitFor();
    await workbench.clickNotificationButton(rejected, 'Set API Key');
    await env.page.locator('.quick-input-widget input[type="password"]').waitFor();
  });
  await workbench.screenshot('5-set-api-key');
  await step('type the right key', async () => {
    await workbench.answerInputBox(API_KEY, { password: true });
    await workbench.notification(/^API key saved/).waitFor();
  });
  scriptNewTasks(env.wan, { pendingMs: 0, runningMs: 0 });
  await step('generate again: the task is created and finishes', async () => {
    await workbench.runCommand('Notifications: Clear All Notifications');
    await generateFromViewTitle(OWL);
    await workbench.waitForTaskStatus(workbench.taskRow(OWL), 'succeeded', 'pass-filled');
    await workbench.activeTab.filter({ hasText: /^an-owl.*\.mp4/ }).waitFor({ timeout: TASK_CHANGE_TIMEOUT_MS });
  });
});

test('6. cancel a queued task from its inline action in the tree: the service receives the cancel', { timeout: FLOW_TIMEOUT_MS }, async () => {
  const step = stepsOf(workbench, '6-cancel');
  await step('start from a quiet window', () => workbench.tidy());
  scriptNewTasks(env.wan, { pendingMs: UNTIL_MOVED_MS, runningMs: 0 });
  await step('▶ in the Tasks view, type a prompt', () => generateFromViewTitle(SNAIL));
  const row = workbench.taskRow(SNAIL);
  await step('the task is queued', () => workbench.waitForTaskStatus(row, 'queued', 'clock'));
  await step('hover the row: a Cancel Task action appears', async () => {
    await row.hover();
    await row.locator('.actions .action-label[aria-label="Cancel Task"]').waitFor();
  });
  await workbench.screenshot('6-cancel-action');
  await step('click it: the task is cancelled', async () => {
    await workbench.clickInlineAction(row, 'Cancel Task');
    await workbench.waitForTaskStatus(row, 'cancelled', 'circle-slash');
    // The row's tooltip, opened by the hover, would cover the tree in the screenshot.
    await env.page.mouse.move(800, 500);
  });
  await step('the service received POST /tasks/{id}/cancel for that task', () => {
    const task = taskFor(env.wan, SNAIL);
    assert.ok(task);
    assert.deepEqual(env.wan.requestsTo('cancel').map((request) => `${request.method} ${request.path}`), [`POST /api/v1/tasks/${task.id}/cancel`]);
    assert.equal(task.status(), 'CANCELED');
    return Promise.resolve();
  });
  await workbench.screenshot('6-cancelled');
});

test('7. right-click an image in the Explorer, Generate Video from Image, type the motion: the create carries the image itself, and the video plays', { timeout: FLOW_TIMEOUT_MS }, async () => {
  const step = stepsOf(workbench, '7-image');
  await step('start from a quiet window', () => workbench.tidy());
  const image = await step('show the Explorer: girl.png is there', () => workbench.explorerRow('girl.png'));
  scriptNewTasks(env.wan, { pendingMs: UNTIL_MOVED_MS, runningMs: 0 });
  const createsBefore = env.wan.requestsTo('create').length;
  await step('right-click girl.png and choose "Generate Video from Image"', () =>
    workbench.contextMenu(image, 'Generate Video from Image', () => workbench.screenshot('7-explorer-menu')));
  await step('an input box asks for the motion of girl.png', async () => {
    await workbench.quickInput.waitFor();
    assert.equal(await workbench.quickInputTitle(), 'Generate a video from girl.png');
    await workbench.quickInput.pressSequentially(GIRL);
  });
  await workbench.screenshot('7-prompt-box');
  await step('press Enter', async () => {
    await env.page.keyboard.press('Enter');
    await workbench.quickInput.waitFor({ state: 'hidden' });
  });
  const row = workbench.taskRow(GIRL.slice(0, 30));
  await step('the task appears in the Tasks view, queued', async () => {
    await workbench.openWanView();
    await workbench.waitForTaskStatus(row, 'queued', 'clock');
  });
  await step('the service received one create for wan2.7-i2v with the image\'s exact bytes as its first frame', () => {
    const creates = env.wan.requestsTo('create');
    assert.equal(creates.length, createsBefore + 1);
    const body = creates.at(-1)?.json as { model: string; input: { prompt: string; media: unknown[] } };
    assert.equal(body.model, 'wan2.7-i2v');
    assert.equal(body.input.prompt, GIRL);
    const bytes = fs.readFileSync(path.join(env.workspace, 'girl.png'));
    assert.deepEqual(body.input.media, [{ type: 'first_frame', url: `data:image/png;base64,${bytes.toString('base64')}` }]);
    return Promise.resolve();
  });
  await workbench.screenshot('7-queued');
  const task = taskFor(env.wan, GIRL);
  assert.ok(task);
  startRunning(task);
  await step('the task finishes: succeeded, and the preview opens on its video', async () => {
    await workbench.waitForTaskStatus(row, 'succeeded', 'pass-filled');
    await workbench.activeTab.filter({ hasText: /^the-girl.*\.mp4/ }).waitFor({ timeout: TASK_CHANGE_TIMEOUT_MS });
    await waitForVideoReady();
  });
  await step('click the video: it plays', clickToPlay);
  await step('the preview shows the input image itself, not its name in place of a broken picture', async () => {
    await waitUntil('the first frame\'s picture to load', async () =>
      (await workbench.preview.locator('figure img').evaluate((img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth > 0)) || undefined);
  });
  await workbench.screenshot('7-preview-playing');
});

test('8. a prompt file that edits a workspace clip: Generate uploads it with progress, the create names the upload, and the video lands', { timeout: FLOW_TIMEOUT_MS }, async () => {
  const step = stepsOf(workbench, '8-clip');
  await step('start from a quiet window', () => workbench.tidy());
  await step('open street-edit.wanprompt: no problem, the lens offers Generate', async () => {
    await workbench.openFile('street-edit.wanprompt');
    await workbench.codeLens(GENERATE_LENS).waitFor();
    assert.equal(await workbench.squiggles.count(), 0);
  });
  await workbench.screenshot('8-prompt-file');
  scriptNewTasks(env.wan, { pendingMs: 0, runningMs: 0 });
  const uploadHost = env.wan.uploadHost;
  const uploadsBefore = uploadHost.records.length;
  const createsBefore = env.wan.requestsTo('create').length;
  // The clip is small: the upload host holds it a moment, so that the progress is on screen long enough to be seen.
  uploadHost.behaviour = { pauseAfterBytes: 1, pauseMs: 5000 };
  try {
    await step('click the Generate lens: a notification shows the clip being sent', async () => {
      await workbench.codeLens(GENERATE_LENS).click();
      await workbench.notification(/Sending the images, clips and sounds of/).waitFor();
    });
    await workbench.screenshot('8-uploading');
    const row = workbench.taskRow(SNOW.slice(0, 30));
    await step('the task appears in the Tasks view and succeeds', () => workbench.waitForTaskStatus(row, 'succeeded', 'pass-filled'));
  } finally {
    uploadHost.behaviour = {};
  }
  const clip = fs.readFileSync(path.join(env.workspace, 'street.mp4'));
  await step('the upload host received the whole clip once, without the API key', () => {
    const uploads = uploadHost.records.slice(uploadsBefore);
    assert.equal(uploads.length, 1);
    assert.equal(uploads[0].status, 200);
    assert.equal(uploads[0].fileBytes, clip.length);
    assert.equal(uploads[0].headers.authorization, undefined);
    return Promise.resolve();
  });
  await step('the create names the uploaded clip by its oss:// URL, with the header that resolves it', () => {
    const creates = env.wan.requestsTo('create');
    assert.equal(creates.length, createsBefore + 1);
    const create = creates.at(-1);
    assert.ok(create);
    assert.equal(create.headers['x-dashscope-ossresourceresolve'], 'enable');
    const body = create.json as { model: string; input: { prompt: string; media: { type: string; url: string }[] } };
    assert.equal(body.model, 'wan2.7-videoedit');
    assert.equal(body.input.prompt, SNOW);
    assert.equal(body.input.media.length, 1);
    assert.equal(body.input.media[0].type, 'video');
    assert.match(body.input.media[0].url, /^oss:\/\//);
    const stored = uploadHost.objects.get(body.input.media[0].url.slice('oss://'.length));
    assert.equal(stored?.sha256, createHash('sha256').update(clip).digest('hex'), 'the object named is the clip, byte for byte');
    return Promise.resolve();
  });
  await step('the edited video is previewed', async () => {
    await workbench.activeTab.filter({ hasText: /^street-edit.*\.mp4/ }).waitFor({ timeout: TASK_CHANGE_TIMEOUT_MS });
    await waitForVideoReady();
  });
  await workbench.screenshot('8-video-landed');
});

test('9. a batch of three takes: Compare Takes, play them together, keep one with K, discard the others', { timeout: FLOW_TIMEOUT_MS }, async () => {
  const step = stepsOf(workbench, '9-compare');
  await step('start from a quiet window', () => workbench.tidy());
  scriptNewTasks(env.wan, { pendingMs: 0, runningMs: UNTIL_MOVED_MS });
  await step('open lantern.wanprompt and click "Generate 3 videos"', async () => {
    await workbench.openFile('lantern.wanprompt');
    await workbench.codeLens(/^\s*Generate 3 videos · .*≈ ¥\d+\.\d\d\s*$/).click();
  });
  const batchRow = workbench.wanView.locator('.monaco-list-row').filter({ hasText: 'lantern.wanprompt' });
  await step('the batch appears in the Tasks view, its three takes running', () => batchRow.locator('.label-description', { hasText: /^0 of 3 ready · 3 in progress/ }).waitFor());
  const tasks = [...env.wan.tasks.values()].filter((task) => String((task.body as { input?: { prompt?: string } }).input?.prompt) === LANTERN).sort((a, b) => a.createdAt - b.createdAt);
  assert.equal(tasks.length, 3);
  finish(tasks[0]);
  finish(tasks[1]);
  await step('two takes land', () => batchRow.locator('.label-description', { hasText: /^2 of 3 ready · 1 in progress/ }).waitFor({ timeout: TASK_CHANGE_TIMEOUT_MS }));
  const grid = workbench.preview;
  await step('click Compare Takes on the batch: a grid of two videos and a placeholder for the take still running', async () => {
    await workbench.clickInlineAction(batchRow, 'Compare Takes');
    await workbench.activeTab.filter({ hasText: 'Compare 3 Takes' }).waitFor();
    await waitUntil('two videos that can play', async () => (await grid.locator('video').evaluateAll((videos: VideoElement[]) => videos.filter((v) => v.readyState >= 2).length)) === 2);
    await grid.locator('.placeholder.running').waitFor();
    assert.deepEqual(await grid.locator('.tile .seed').allTextContents(), ['seed 40', 'seed 41', 'seed 42']);
  });
  await workbench.screenshot('9-compare-placeholder');
  finish(tasks[2]);
  await step('the third take lands: the batch says so, its placeholder becomes a video, and no preview opens over the grid that shows it', async () => {
    // The notification follows the preview wan.openPreviewOnSuccess would open.
    await workbench.notification(/^All 3 videos of ".*" are ready\.$/).waitFor({ timeout: TASK_CHANGE_TIMEOUT_MS });
    assert.equal(await workbench.editorTab(/^lantern-.*seed42\.mp4/).count(), 0, 'no preview of the take the grid shows');
    await workbench.activeTab.filter({ hasText: 'Compare 3 Takes' }).waitFor();
    await waitUntil('three videos that can play', async () => (await grid.locator('video').evaluateAll((videos: VideoElement[]) => videos.filter((v) => v.readyState >= 2).length)) === 3, TASK_CHANGE_TIMEOUT_MS);
    assert.equal(await grid.locator('.placeholder').count(), 0);
  });
  await step('click Play: the three play together', async () => {
    await grid.locator('.toolbar .play').click();
    const times = await waitUntil('every video to play past 1 s', async () => {
      const states = await grid.locator('video').evaluateAll((videos: VideoElement[]) => videos.map((v) => ({ time: v.currentTime, paused: v.paused })));
      return states.every((s) => !s.paused && s.time > 1) ? states.map((s) => s.time) : undefined;
    });
    assert.ok(Math.max(...times) - Math.min(...times) < 0.2, `in step: ${times.join(', ')}`);
  });
  await workbench.screenshot('9-compare-playing');
  await step('click the second take, press K: it is kept, with a star in the grid and in the tree', async () => {
    await grid.locator('.tile').nth(1).locator('.caption').click();
    await env.page.keyboard.press('k');
    await grid.locator('.tile.kept .seed', { hasText: '★ seed 41' }).waitFor();
    await workbench.wanView.locator('.monaco-list-row .codicon-star-full').waitFor();
  });
  await workbench.screenshot('9-compare-kept');
  await step('click "Discard the Others" on it: a confirmation lists the two other takes', async () => {
    await grid.locator('.tile.kept button[data-action="discardOthers"]').click();
    const dialog = env.page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    const text = (await dialog.textContent()) ?? '';
    assert.match(text, /move the other 2 takes to the trash/);
    assert.equal((text.match(/lantern-.*?seed4[02]/g) ?? []).length, 2, text);
  });
  await workbench.screenshot('9-compare-confirm-discard');
  const videos = path.join(env.workspace, 'wan-videos');
  const before = fs.readdirSync(videos).filter((file) => /^lantern-.*seed4[0-2]/.test(file));
  assert.equal(before.length, 6, 'three videos and three sidecars');
  await step('confirm: VS Code here has no trash, says so, deletes nothing, and offers the discarded folder', async () => {
    await env.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Move to Trash' }).click();
    await workbench.notification(/VS Code cannot move files to the trash here/).waitFor();
    assert.deepEqual(fs.readdirSync(videos).filter((file) => /^lantern-.*seed4[0-2]/.test(file)).sort(), before.sort(), 'nothing deleted');
  });
  await workbench.screenshot('9-compare-no-trash');
  await step('choose "Move to discarded": the two other takes move there, their tasks say discarded, the kept one stays', async () => {
    await workbench.clickNotificationButton(workbench.notification(/VS Code cannot move files to the trash here/), 'Move to "discarded"');
    await waitUntil('the two takes in discarded/', async () => fs.existsSync(path.join(videos, 'discarded')) && fs.readdirSync(path.join(videos, 'discarded')).length === 4);
    const left = fs.readdirSync(videos).filter((file) => /^lantern-.*seed4[0-2]/.test(file));
    assert.deepEqual(left.map((file) => /seed(\d+)/.exec(file)?.[1]).sort(), ['41', '41']);
    assert.equal(JSON.parse(fs.readFileSync(path.join(videos, left.find((file) => file.endsWith('.json'))!), 'utf8')).kept, true);
    await workbench.wanView.locator('.monaco-list-row .label-description', { hasText: /^discarded · / }).nth(1).waitFor();
    await grid.locator('.tile.discarded').nth(1).waitFor();
  });
  await workbench.screenshot('9-compare-discarded');
  await step('run "Developer: Reload Window": the grid comes back with the same takes, as they were, on the same page', async () => {
    const reloaded = env.page.waitForEvent('load', { timeout: 60_000 });
    await workbench.runCommand('Developer: Reload Window');
    await reloaded;
    await workbench.waitUntilReady();
    await workbench.activeTab.filter({ hasText: 'Compare 3 Takes' }).waitFor({ timeout: 60_000 });
    await waitUntil('the kept take\'s video to load', async () => (await grid.locator('video').evaluateAll((videos: VideoElement[]) => videos.filter((v) => v.readyState >= 2).length)) === 1, 60_000);
    assert.deepEqual(await grid.locator('.tile .seed').allTextContents(), ['seed 40', '★ seed 41', 'seed 42']);
    assert.equal(await grid.locator('.tile.discarded').count(), 2);
    assert.equal(await grid.locator('.toolbar .pager').isVisible(), false, 'one page, as before');
  });
  await workbench.screenshot('9-compare-after-reload');
});

test('10. with wan.preview.soundtrack "convert", as desktop VS Code plays by default: the preview plays a copy whose sound is FLAC, and Chromium decodes it', { timeout: FLOW_TIMEOUT_MS }, async () => {
  const step = stepsOf(workbench, '10-sound');
  await step('start from a quiet window', () => workbench.tidy());
  const settings = path.join(env.workspace, '.vscode', 'settings.json');
  fs.mkdirSync(path.dirname(settings), { recursive: true });
  fs.writeFileSync(settings, JSON.stringify({ 'wan.preview.soundtrack': 'convert' }));
  try {
    scriptNewTasks(env.wan, { pendingMs: 0, runningMs: 0 });
    await step('▶ in the Tasks view\'s title, type the prompt', () => generateFromViewTitle(DRUMMER));
    const row = workbench.taskRow(DRUMMER.slice(0, 30));
    await step('the task succeeds and its video is saved', () => workbench.waitForTaskStatus(row, 'succeeded', 'pass-filled'));
    await step('the preview plays the converted copy and says so in one quiet line', async () => {
      await workbench.activeTab.filter({ hasText: /^a-drummer.*\.mp4/ }).waitFor({ timeout: TASK_CHANGE_TIMEOUT_MS });
      await waitUntil('the video to play the copy from the extension\'s storage', async () => /\/soundtracks\/[0-9a-f]{64}\.mp4/.test((await workbench.videoState()).source));
      await workbench.preview.locator('#sound-note', { hasText: 'Plays a copy of the video with its sound converted to FLAC, as the setting wan.preview.soundtrack asks.' }).waitFor();
      assert.equal(await workbench.preview.locator('#silent-here').isVisible(), false, 'no "plays silently" notice');
      await waitForVideoReady();
    });
    await step('click the video: it plays', clickToPlay);
    await step('Chromium decodes its sound', () => waitUntil('decoded sound', async () => (await workbench.videoState()).audioBytes > 0));
    await workbench.screenshot('10-preview-playing-converted');
  } finally {
    fs.rmSync(path.dirname(settings), { recursive: true, force: true });
  }
});

test('11. another extension calls the generate tool: VS Code\'s own dialog lists what would be paid for; Cancel sends nothing, Yes makes one task, marked as an agent\'s', { timeout: FLOW_TIMEOUT_MS }, async () => {
  const step = stepsOf(workbench, '11-agent');
  await step('start from a quiet window', () => workbench.tidy());
  const dialog = env.page.locator('.monaco-dialog-box');
  const askForVideo = async () => {
    await workbench.runCommand('Agent Caller: Ask Wan for a Video');
    await dialog.waitFor();
  };
  scriptNewTasks(env.wan, { pendingMs: 500, runningMs: 500 });
  const requestsBefore = env.wan.requests.length;
  await step('run "Agent Caller: Ask Wan for a Video" from the command palette: VS Code asks, listing the prompt, model, parameters, the image and the cost', async () => {
    await askForVideo();
    assert.equal(await dialog.locator('.dialog-message-text').textContent(), 'Generate a paid video with Wan?');
    const detail = (await dialog.locator('.dialog-message-detail').textContent()) ?? '';
    for (const expected of ['An agent asks to generate with wan2.7-i2v.', `Prompt: "${AGENT_INPUT.prompt}"`, 'Parameters: 720P · 5 s', 'Seeds: 4242', 'File sent: first_frame girl.png', 'Estimated cost: ≈ ¥3.00']) {
      assert.ok(detail.includes(expected), `"${expected}" in the dialog's text: ${detail}`);
    }
  });
  await workbench.screenshot('11-confirmation');
  await step('click Cancel: the caller learns the user declined, and the service received nothing', async () => {
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await waitUntil('the caller to receive its answer', () => Promise.resolve(env.agentCalls().length === 1));
    assert.equal(env.agentCalls()[0], 'The call failed: Canceled');
    assert.deepEqual(env.wan.requests.slice(requestsBefore).map((request) => request.route), []);
  });
  await step('run it again, read the dialog as a person does, and click Yes', async () => {
    await askForVideo();
    // The tool asks again in its own dialog when the answer comes faster than a person reads (src/agent/userSay.ts).
    await env.page.waitForTimeout(1500);
    await dialog.getByRole('button', { name: 'Yes' }).click();
    await waitUntil('the caller to receive its answer', () => Promise.resolve(env.agentCalls().length === 2));
  });
  const task = taskFor(env.wan, AGENT_INPUT.prompt);
  await step('one create with the image itself, the model, the prompt, the duration and the seed; the answer names its task id', () => {
    const creates = env.wan.requestsTo('create').filter((request) => env.wan.requests.indexOf(request) >= requestsBefore);
    assert.equal(creates.length, 1);
    const body = creates[0].json as { model: string; input: { prompt: string; media: unknown[] }; parameters: Record<string, unknown> };
    assert.equal(body.model, 'wan2.7-i2v');
    assert.equal(body.input.prompt, AGENT_INPUT.prompt);
    assert.deepEqual(body.input.media, [{ type: 'first_frame', url: `data:image/png;base64,${fs.readFileSync(path.join(env.workspace, 'girl.png')).toString('base64')}` }]);
    assert.equal(body.parameters.duration, 5);
    assert.equal(body.parameters.seed, 4242);
    assert.ok(task);
    const answer = env.agentCalls()[1];
    assert.match(answer, /^Submitted 1 video task to Wan\./);
    assert.ok(answer.includes(`- task ${task.id}: wan2.7-i2v`), answer);
    return Promise.resolve();
  });
  const row = workbench.taskRow(AGENT_INPUT.prompt.slice(0, 40));
  await step('the Tasks view shows the task succeeded, made by an agent, and its video lands in wan-videos/', async () => {
    await workbench.openWanView();
    await workbench.waitForTaskStatus(row, 'succeeded', 'pass-filled');
    await row.locator('.label-description', { hasText: / · by an agent$/ }).waitFor();
    const folder = path.join(env.workspace, 'wan-videos');
    await waitUntil('the video in wan-videos/', () => Promise.resolve(fs.existsSync(folder) && fs.readdirSync(folder).some((file) => file.startsWith('the-girl-looks-up') && file.endsWith('.mp4'))));
    await workbench.activeTab.filter({ hasText: /^the-girl-looks-up.*\.mp4/ }).waitFor({ timeout: TASK_CHANGE_TIMEOUT_MS });
    await waitForVideoReady();
  });
  await step('point at the task: its hover says an agent made it, after the user confirmed', async () => {
    await row.hover();
    await env.page.locator('.monaco-hover', { hasText: 'Made by: an agent, through the wan_generate_video tool, after you confirmed it' }).waitFor();
  });
  await workbench.screenshot('11-agent-task');
});
