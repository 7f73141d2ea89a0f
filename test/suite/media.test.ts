// The workspace's own images to video, against the Wan-compatible test server: the bytes sent, the record, the refusals.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TaskRecord } from '../../src/tasks/taskRecord';
import { png } from '../unit/media/fixtures';
import { servedExtension, workspaceFolder } from './helpers';
import { waitFor } from './waitFor';

describe('a video from a workspace image', function () {
  this.timeout(120_000);
  const served = servedExtension('wan-media-');
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-outside-'));
  after(() => fs.rmSync(outside, { recursive: true, force: true }));

  beforeEach(() => {
    served.server.requests.length = 0;
  });

  it('Generate Video from Image sends the image\'s exact bytes as a data URI to wan2.7-i2v, records it, and the video lands', async () => {
    const bytes = png(640, 480);
    const image = vscode.Uri.joinPath(workspaceFolder(), 'girl.png');
    await vscode.workspace.fs.writeFile(image, bytes);
    const record = await vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromImage', image, [image], { prompt: 'She turns and smiles' });
    assert.ok(record, 'submitted');
    const creates = served.server.requestsTo('create');
    assert.equal(creates.length, 1);
    const body = creates[0].json as { model: string; input: { prompt: string; media: unknown[] } };
    assert.equal(body.model, 'wan2.7-i2v');
    assert.equal(body.input.prompt, 'She turns and smiles');
    assert.deepEqual(body.input.media, [{ type: 'first_frame', url: `data:image/png;base64,${bytes.toString('base64')}` }]);
    const media = [{ type: 'first_frame', source: 'girl.png', sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, sent: 'inline' }];
    assert.deepEqual(record.media, media);
    const saved = await waitFor('the video on disk', () => {
      const task = served.api.tasks().find((t) => t.taskId === record.taskId);
      return task?.download.state === 'done' ? task.download : undefined;
    }, 60_000);
    assert.ok(fs.readFileSync(saved.path).equals(served.server.video), 'the service\'s video');
    const sidecar = JSON.parse(fs.readFileSync(saved.path.replace(/\.mp4$/, '.json'), 'utf8')) as { media: unknown };
    assert.deepEqual(sidecar.media, media);
  });

  it('Edit Video uploads the workspace clip once (policy, upload host without the key, oss:// with its header), and a second edit reuses the upload', async () => {
    const clip = vscode.Uri.joinPath(workspaceFolder(), 'street.mp4');
    // 640×360: wan2.7-videoedit takes sides of 240 px and more (sample.mp4 is 320×180).
    const bytes = fs.readFileSync(path.join(__dirname, '../../../test/fixtures/readme-clip.mp4'));
    await vscode.workspace.fs.writeFile(clip, bytes);
    const uploadsBefore = served.server.uploadHost.records.length;
    const record = await vscode.commands.executeCommand<TaskRecord | undefined>('wan.editVideo', clip, undefined, { prompt: 'Make it snow' });
    assert.ok(record, 'submitted');
    const uploads = served.server.uploadHost.records.slice(uploadsBefore);
    assert.equal(uploads.length, 1, 'one upload');
    assert.equal(uploads[0].status, 200);
    assert.equal(uploads[0].fileBytes, bytes.length, 'the whole clip reached the upload host');
    assert.equal(uploads[0].headers.authorization, undefined, 'the key never goes to the upload host');
    const creates = served.server.requestsTo('create');
    assert.equal(creates.length, 1);
    assert.equal(creates[0].headers['x-dashscope-ossresourceresolve'], 'enable');
    const body = creates[0].json as { model: string; input: { media: { type: string; url: string }[] } };
    assert.equal(body.model, 'wan2.7-videoedit');
    assert.equal(body.input.media.length, 1);
    assert.equal(body.input.media[0].type, 'video');
    assert.match(body.input.media[0].url, /^oss:\/\//);
    const stored = served.server.uploadHost.objects.get(body.input.media[0].url.slice('oss://'.length));
    assert.equal(stored?.sha256, createHash('sha256').update(bytes).digest('hex'), 'the uploaded object is the clip, byte for byte');
    assert.equal(record.media?.[0]?.sent, 'upload');
    await waitFor('the edited video on disk', () => served.api.tasks().find((t) => t.taskId === record.taskId)?.download.state === 'done', 60_000);

    const again = await vscode.commands.executeCommand<TaskRecord | undefined>('wan.editVideo', clip, undefined, { prompt: 'Make it rain' });
    assert.ok(again, 'submitted again');
    assert.equal(served.server.uploadHost.records.length - uploadsBefore, 1, 'the same clip for the same model and account is not uploaded again');
    const second = served.server.requestsTo('create')[1].json as { input: { media: { url: string }[] } };
    assert.equal(second.input.media[0].url, body.input.media[0].url);
  });

  it('a prompt file whose image breaks a rule is refused at once, even before the editor\'s file check has run, and nothing is created', async () => {
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(workspaceFolder(), 'tiny.png'), png(200, 200));
    const prompt = vscode.Uri.joinPath(workspaceFolder(), 'tiny.wanprompt');
    await vscode.workspace.fs.writeFile(prompt, Buffer.from('---\nmodel: wan2.7-i2v\nfirst_frame: ./tiny.png\n---\nThe tiny picture comes alive.\n'));
    const record = await vscode.commands.executeCommand<TaskRecord[] | undefined>('wan.generateFromFile', prompt);
    assert.equal(record, undefined);
    assert.equal(served.server.requestsTo('create').length, 0, 'nothing was sent');
  });

  it('Generate Video from Image refuses an image the model cannot take (under 240 px) before anything is sent', async () => {
    const image = vscode.Uri.joinPath(workspaceFolder(), 'thumb.png');
    await vscode.workspace.fs.writeFile(image, png(200, 150));
    const record = await vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromImage', image, undefined, { prompt: 'A thumbnail moves' });
    assert.equal(record, undefined);
    assert.equal(served.server.requestsTo('create').length, 0, 'nothing was sent');
  });

  it('an image outside the workspace folders is refused and nothing is created', async () => {
    const file = path.join(outside, 'secret.png');
    fs.writeFileSync(file, png(640, 480));
    const record = await vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromImage', vscode.Uri.file(file), undefined, { prompt: 'A secret' });
    assert.equal(record, undefined);
    assert.equal(served.server.requestsTo('create').length, 0, 'nothing was sent');
  });
});
