// The preview with wan.preview.soundtrack "convert", as desktop VS Code gets it by default: it plays a copy whose sound
// is FLAC (Chromium decodes it), the user's file stays as it was, and the copy goes with its task.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TaskRecord } from '../../src/tasks/taskRecord';
import { readMovie } from '../unit/sound/mp4Samples';
import { openWorkspaceFile, servedExtension } from './helpers';
import { waitFor } from './waitFor';

describe('the preview\'s sound where VS Code cannot decode AAC (wan.preview.soundtrack: convert)', function () {
  this.timeout(120_000);
  const served = servedExtension('wan-sound-');
  const config = () => vscode.workspace.getConfiguration('wan');
  before(() => config().update('preview.soundtrack', 'convert', vscode.ConfigurationTarget.Global));
  after(() => config().update('preview.soundtrack', undefined, vscode.ConfigurationTarget.Global));

  it('plays a copy with FLAC sound that Chromium decodes, leaves the file alone, and removes the copy with its task', async () => {
    const sentence = 'A drummer on a rooftop at dawn.';
    const editor = await openWorkspaceFile('sound.md', `${sentence}\n`);
    editor.selection = new vscode.Selection(0, 0, 0, sentence.length);
    const record = await vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromSelection');
    assert.ok(record, 'submitted');
    const saved = await waitFor('the video on disk', () => {
      const task = served.api.tasks().find((t) => t.taskId === record.taskId);
      return task?.download.state === 'done' ? task.download : undefined;
    }, 60_000);
    assert.equal((await readMovie(saved.path)).tracks.find((t) => t.handler === 'soun')?.codec, 'mp4a', 'the service\'s video has AAC sound');

    await vscode.commands.executeCommand('wan.openPreview', record.taskId);
    const copy = await waitFor('the preview to play the converted copy', () => {
      const played = served.api.playedFile(record.taskId);
      return played && played !== saved.path ? played : undefined;
    }, 30_000);
    const sha256 = createHash('sha256').update(fs.readFileSync(saved.path)).digest('hex');
    assert.equal(path.basename(copy), `${sha256}.mp4`, 'named by the video\'s content');
    assert.equal((await readMovie(copy)).tracks.find((t) => t.handler === 'soun')?.codec, 'fLaC');
    const state = await waitFor('Chromium to decode the copy\'s sound', () => {
      const s = served.api.videoState(record.taskId);
      return s && s.source?.includes(`${sha256}.mp4`) && (s.audioBytes ?? 0) > 0 ? s : undefined;
    }, 30_000);
    assert.equal(state.error, undefined);
    assert.ok(fs.readFileSync(saved.path).equals(served.server.video), 'the user\'s file is the service\'s bytes, unchanged');

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('wan.removeTask', record.taskId);
    await waitFor('the copy to be removed with its task', () => !fs.existsSync(copy), 10_000);
    assert.ok(fs.existsSync(saved.path), 'the video itself is kept');
  });
});
