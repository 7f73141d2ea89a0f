// The whole path inside a real VS Code, against the Wan-compatible test server on loopback.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WanVideoApi } from '../../src/extension';
import type { TaskRecord } from '../../src/tasks/taskRecord';
import { WanTestServer } from '../server/wanServer';
import { asUserReadsIt, EXTENSION_ID, openWorkspaceFile, TEST_API_KEY as KEY, writeWorkspaceFile } from './helpers';
import { takeScreenshot } from './screenshot';
import { waitFor } from './waitFor';

/** A tooltip's text as the user reads it. */
function tooltipText(item: vscode.TreeItem): string {
  return asUserReadsIt((item.tooltip as vscode.MarkdownString).value);
}

async function selectInNewEditor(name: string, text: string, selected: string): Promise<vscode.TextEditor> {
  const editor = await openWorkspaceFile(name, text);
  const start = text.indexOf(selected);
  editor.selection = new vscode.Selection(editor.document.positionAt(start), editor.document.positionAt(start + selected.length));
  return editor;
}

describe('generating, tracking, downloading and previewing', function () {
  let server: WanTestServer;
  let api: WanVideoApi;
  let outputFolder: string;
  const config = () => vscode.workspace.getConfiguration('wan');

  before(async () => {
    // Everything the extension logs is written, so a key that reached the log would be found.
    await vscode.commands.executeCommand('_extensionTests.setLogLevel', 'trace');
    server = await WanTestServer.start({ apiKey: KEY });
    outputFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-videos-'));
    await config().update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Global);
    await config().update('endpoint', 'custom', vscode.ConfigurationTarget.Global);
    await config().update('outputFolder', outputFolder, vscode.ConfigurationTarget.Global);
    await config().update('defaults.duration', 4, vscode.ConfigurationTarget.Global);
    const extension = vscode.extensions.getExtension<WanVideoApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await server.close();
    for (const key of ['outputFolder', 'defaults.duration', 'endpoint', 'baseUrl']) {
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  beforeEach(() => {
    server.requests.length = 0;
  });

  it('submits nothing when the key is missing and the user presses Escape', async () => {
    await vscode.commands.executeCommand('wan.clearApiKey');
    await selectInNewEditor('escape.md', 'Some notes.\nA lighthouse in a storm.\n', 'A lighthouse in a storm.');
    const result = vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromSelection');
    // The password box for the key is open: press Escape.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await result, undefined);
    assert.equal(server.requestsTo('create').length, 0, 'no create reached the service');
  });

  it('submits nothing with a key the service rejects', async () => {
    await vscode.commands.executeCommand('wan.setApiKey', `${KEY}-rejected`);
    await selectInNewEditor('rejected.md', 'A lighthouse in a storm.\n', 'A lighthouse in a storm.');
    const record = await vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromSelection');
    assert.equal(record, undefined);
    const creates = server.requestsTo('create');
    assert.equal(creates.length, 1, 'a 401 is not retried');
    assert.equal(creates[0].headers.authorization, `Bearer ${KEY}-rejected`);
  });

  it('generates from a selection and keeps the video with its sidecar, then previews it', async () => {
    await vscode.commands.executeCommand('wan.setApiKey', KEY);
    const sentence = 'A red fox running through fresh snow at dawn, cinematic.';
    await selectInNewEditor('notes.md', `# Ideas\n\n${sentence} More text after.\n`, sentence);
    server.scriptNextTasks({ pendingMs: 1500, runningMs: 3000 });

    const record = await vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromSelection');
    assert.ok(record, 'a task was created');

    const [create] = server.requestsTo('create');
    assert.equal(create.headers['x-dashscope-async'], 'enable');
    assert.equal(create.headers.authorization, `Bearer ${KEY}`);
    const body = create.json as { model: string; input: { prompt: string }; parameters: Record<string, unknown> };
    assert.equal(body.model, 'wan2.7-t2v');
    assert.equal(body.input.prompt, sentence);
    assert.equal(body.parameters.duration, 4, 'the settings give the parameters');
    assert.equal(body.parameters.resolution, '720P');
    assert.equal(typeof body.parameters.seed, 'number', 'a seed is always sent so Regenerate can repeat it');

    // The tree shows the task at once, then follows it through its states.
    const seen = new Set<string>();
    const done = await waitFor('the video on disk', () => {
      const item = api.treeItem(record.taskId);
      seen.add(String(item.contextValue));
      const current = api.tasks().find((t) => t.taskId === record.taskId);
      return current?.download.state === 'done' ? current : undefined;
    }, 60_000);
    assert.ok([...seen].some((v) => v.startsWith('task:pending') || v.startsWith('task:running')), `seen: ${[...seen]}`);
    assert.ok([...seen].some((v) => v.startsWith('task:succeeded')), `seen: ${[...seen]}`);
    const item = api.treeItem(record.taskId);
    assert.equal(item.contextValue, 'task:succeeded:downloaded');
    assert.match(String(item.description), /succeeded · .* · 720P · 16:9 · 4s/);
    assert.match(tooltipText(item), new RegExp(`Task ID:\\*\\* ${record.taskId}`));
    assert.match(tooltipText(item), /Duration:\*\* 4 s/, 'the seconds the service reports');

    // The file holds exactly the service's bytes, next to a sidecar that can reproduce it.
    assert.equal(done.download.state, 'done');
    const videoPath = done.download.state === 'done' ? done.download.path : '';
    assert.equal(path.dirname(videoPath), outputFolder);
    assert.match(path.basename(videoPath), /^a-red-fox-running-through-fresh-snow-at-\d{8}-\d{6}-seed\d+\.mp4$/);
    assert.ok(fs.readFileSync(videoPath).equals(server.video), 'the saved video is byte-identical');
    const sidecar = JSON.parse(fs.readFileSync(videoPath.replace(/\.mp4$/, '.json'), 'utf8'));
    assert.equal(sidecar.taskId, record.taskId);
    assert.equal(sidecar.request.input.prompt, sentence);
    assert.equal(sidecar.endpointHost, new URL(server.baseUrl).host);
    assert.equal(sidecar.response.output.task_status, 'SUCCEEDED');
    assert.equal(sidecar.usage.duration, 4);
    assert.ok(!fs.readFileSync(videoPath.replace(/\.mp4$/, '.json'), 'utf8').includes(KEY), 'no key in the sidecar');
    assert.equal(server.requestsTo('download').every((r) => r.headers.authorization === undefined), true, 'no key sent to the download host');

    // The preview opened by itself and its video element loaded the file.
    const state = await waitFor('the preview video to load', () => {
      const s = api.videoState(record.taskId);
      return s && s.readyState >= 2 ? s : undefined;
    }, 30_000);
    assert.equal(state.error, undefined);
    assert.ok((state.duration ?? 0) > 1, 'the player knows the clip\'s length');
    await vscode.commands.executeCommand('wan.tasks.focus');
    await takeScreenshot('tree-and-preview');
  });

  it('generates from a .wanprompt file, its front matter overriding the settings', async () => {
    const uri = await writeWorkspaceFile('fox.wanprompt', '---\nresolution: 1080p\nratio: 9:16\nduration: 6\nseed: 1234\nwatermark: true\n---\nA paper boat drifting down a rain gutter.\n');
    const record = await vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromFile', uri);
    assert.ok(record);
    const body = server.requestsTo('create')[0].json as { input: { prompt: string }; parameters: Record<string, unknown> };
    assert.equal(body.input.prompt, 'A paper boat drifting down a rain gutter.');
    assert.deepEqual(
      { resolution: body.parameters.resolution, ratio: body.parameters.ratio, duration: body.parameters.duration, seed: body.parameters.seed, watermark: body.parameters.watermark },
      { resolution: '1080P', ratio: '9:16', duration: 6, seed: 1234, watermark: true },
    );
    assert.equal(record.source.label, 'fox');
  });

  it('refuses to submit a prompt file with invalid front matter and marks the exact value', async () => {
    const text = '---\nresolution: 4K\nduration: 5\n---\nA cat.\n';
    const uri = await writeWorkspaceFile('broken.wanprompt', text);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const diagnostics = await waitFor('a diagnostic', () => {
      const found = vscode.languages.getDiagnostics(uri);
      return found.length > 0 ? found : undefined;
    });
    assert.equal(diagnostics.length, 1);
    assert.equal(document.getText(diagnostics[0].range), '4K');
    assert.equal(diagnostics[0].range.start.line, 1);
    assert.match(diagnostics[0].message, /720P/);

    const record = await vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromFile', uri);
    assert.equal(record, undefined);
    assert.equal(server.requestsTo('create').length, 0, 'nothing was submitted');
  });

  it('shows the reason of a FAILED task', async () => {
    server.scriptNextTasks({ pendingMs: 100, runningMs: 100, outcome: 'FAILED', code: 'DataInspectionFailed', message: 'Input data may contain inappropriate content.' });
    await selectInNewEditor('failing.md', 'A forbidden scene.\n', 'A forbidden scene.');
    const record = await vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromSelection');
    assert.ok(record);
    const failed = await waitFor('the task to fail', () => api.tasks().find((t) => t.taskId === record.taskId && t.status === 'FAILED'));
    assert.equal(failed.code, 'DataInspectionFailed');
    const item = api.treeItem(record.taskId);
    assert.equal(item.contextValue, 'task:failed');
    const tooltip = tooltipText(item);
    assert.match(tooltip, /DataInspectionFailed/);
    assert.match(tooltip, /inappropriate content/);
  });

  it('submits nothing for a selection of white space or a prompt over 5000 characters', async () => {
    const editor = await selectInNewEditor('blank.md', 'Title\n   \t  \nEnd\n', '   \t  ');
    assert.ok(!editor.selection.isEmpty);
    assert.equal(await vscode.commands.executeCommand('wan.generateFromSelection'), undefined);
    const long = 'word '.repeat(1001).trim();
    await selectInNewEditor('long.md', long, long);
    assert.equal(await vscode.commands.executeCommand('wan.generateFromSelection'), undefined);
    assert.equal(server.requestsTo('create').length, 0);
  });

  it('submits nothing while a setting breaks a rule, and again once it is fixed', async () => {
    await vscode.commands.executeCommand('wan.setApiKey', KEY);
    await selectInNewEditor('settings.md', 'A windmill at sunset.\n', 'A windmill at sunset.');
    const broken: [string, unknown][] = [
      ['defaults.duration', 31], // no model takes 31 s (Wan 3.0 takes up to 30)
      ['defaults.resolution', '4K'],
      ['defaults.negativePrompt', 'x'.repeat(501)],
      ['defaults.seed', -1],
      ['baseUrl', 'http://192.0.2.10/api/v1'],
      ['baseUrl', 'not a url'],
    ];
    for (const [key, value] of broken) {
      const good = config().inspect(key)?.globalValue;
      await config().update(key, value, vscode.ConfigurationTarget.Global);
      const record = await vscode.commands.executeCommand('wan.generateFromSelection');
      await config().update(key, good, vscode.ConfigurationTarget.Global);
      assert.equal(record, undefined, `${key} = ${JSON.stringify(value)} must not submit`);
    }
    assert.equal(server.requestsTo('create').length, 0);
  });

  it('shows markup in a prompt as text in the tree', async () => {
    const hostile = '<img src=x onerror=alert(1)> <script>alert(2)</script> a cat';
    await selectInNewEditor('hostile.md', `${hostile}\n`, hostile);
    server.scriptNextTasks({ pendingMs: 60_000 });
    const record = await vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromSelection');
    assert.ok(record);
    const item = api.treeItem(record.taskId);
    const tooltip = item.tooltip as vscode.MarkdownString;
    assert.ok(!tooltip.supportHtml && !tooltip.isTrusted);
    assert.ok(!tooltip.value.includes('<script>') && !tooltip.value.includes('<img'), tooltip.value);
    assert.ok(tooltipText(item).startsWith(hostile), 'the whole prompt is shown, markup included, as text');
    assert.equal(item.label, hostile, 'the label is plain text');
    await vscode.commands.executeCommand('wan.cancelTask', record.taskId);
  });

  it('case 6: two quick clicks on Generate, on Regenerate or on Variation make one task each, not two', async () => {
    const twice = <T>(command: string, ...args: unknown[]) => Promise.all([1, 2].map(() => vscode.commands.executeCommand<T>(command, ...args)));
    const uri = await writeWorkspaceFile('twice.wanprompt', 'A kite over a beach at noon.\n');
    const generated = await twice<TaskRecord[] | undefined>('wan.generatePrompt', uri, 0);
    assert.equal(server.requestsTo('create').length, 1, 'one create for two clicks on the Generate lens');
    const record = generated.find((records) => records !== undefined)?.[0];
    assert.ok(record);
    for (const command of ['wan.regenerate', 'wan.generateVariation']) {
      server.requests.length = 0;
      await twice(command, record.taskId);
      assert.equal(server.requestsTo('create').length, 1, `one create for two clicks on ${command}`);
    }
  });

  it('cancels a queued task on the service', async () => {
    server.scriptNextTasks({ pendingMs: 60_000 });
    await selectInNewEditor('queued.md', 'A slow sunrise over mountains.\n', 'A slow sunrise over mountains.');
    const record = await vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromSelection');
    assert.ok(record);
    assert.equal(api.treeItem(record.taskId).contextValue, 'task:pending');
    const cancelled = await vscode.commands.executeCommand<boolean>('wan.cancelTask', record.taskId);
    assert.equal(cancelled, true);
    const [cancel] = server.requestsTo('cancel');
    assert.ok(cancel, 'the cancel reached the server');
    assert.equal(cancel.path, `/api/v1/tasks/${record.taskId}/cancel`);
    assert.equal(api.tasks().find((t) => t.taskId === record.taskId)?.status, 'CANCELED');
  });
});
