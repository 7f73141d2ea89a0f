// The workspace's own images to video, against the Wan-compatible test server: the bytes sent, the record, the refusals.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WanVideoApi } from '../../src/extension';
import type { TaskRecord } from '../../src/tasks/taskRecord';
import { WanTestServer } from '../server/wanServer';
import { png } from '../unit/media/fixtures';
import { EXTENSION_ID, TEST_API_KEY as KEY, workspaceFolder } from './helpers';
import { waitFor } from './waitFor';

describe('a video from a workspace image', function () {
  this.timeout(120_000);
  let server: WanTestServer;
  let api: WanVideoApi;
  let outputFolder: string;
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-outside-'));
  const config = () => vscode.workspace.getConfiguration('wan');
  const SETTINGS = ['baseUrl', 'endpoint', 'outputFolder', 'openPreviewOnSuccess'];

  before(async () => {
    server = await WanTestServer.start({ apiKey: KEY });
    server.defaultScript = { pendingMs: 200, runningMs: 400 };
    outputFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-media-'));
    const values: unknown[] = [server.baseUrl, 'custom', outputFolder, false];
    for (const [i, key] of SETTINGS.entries()) await config().update(key, values[i], vscode.ConfigurationTarget.Global);
    const extension = vscode.extensions.getExtension<WanVideoApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    await vscode.commands.executeCommand('wan.setApiKey', KEY);
  });

  after(async () => {
    await server.close();
    for (const key of SETTINGS) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(outputFolder, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  beforeEach(() => {
    server.requests.length = 0;
  });

  it('Generate Video from Image sends the image\'s exact bytes as a data URI to wan2.7-i2v, records it, and the video lands', async () => {
    const bytes = png(640, 480);
    const image = vscode.Uri.joinPath(workspaceFolder(), 'girl.png');
    await vscode.workspace.fs.writeFile(image, bytes);
    const record = await vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromImage', image, [image], { prompt: 'She turns and smiles' });
    assert.ok(record, 'submitted');
    const creates = server.requestsTo('create');
    assert.equal(creates.length, 1);
    const body = creates[0].json as { model: string; input: { prompt: string; media: unknown[] } };
    assert.equal(body.model, 'wan2.7-i2v');
    assert.equal(body.input.prompt, 'She turns and smiles');
    assert.deepEqual(body.input.media, [{ type: 'first_frame', url: `data:image/png;base64,${bytes.toString('base64')}` }]);
    const media = [{ type: 'first_frame', source: 'girl.png', sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, sent: 'inline' }];
    assert.deepEqual(record.media, media);
    const saved = await waitFor('the video on disk', () => {
      const task = api.tasks().find((t) => t.taskId === record.taskId);
      return task?.download.state === 'done' ? task.download : undefined;
    }, 60_000);
    assert.ok(fs.readFileSync(saved.path).equals(server.video), 'the service\'s video');
    const sidecar = JSON.parse(fs.readFileSync(saved.path.replace(/\.mp4$/, '.json'), 'utf8')) as { media: unknown };
    assert.deepEqual(sidecar.media, media);
  });

  it('an image outside the workspace folders is refused and nothing is created', async () => {
    const file = path.join(outside, 'secret.png');
    fs.writeFileSync(file, png(640, 480));
    const record = await vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromImage', vscode.Uri.file(file), undefined, { prompt: 'A secret' });
    assert.equal(record, undefined);
    assert.equal(server.requestsTo('create').length, 0, 'nothing was sent');
  });
});
