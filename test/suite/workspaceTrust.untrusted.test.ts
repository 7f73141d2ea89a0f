// Restricted mode: the launcher opens the workspace untrusted for this file alone (see test/suite/index.ts).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TaskRecord } from '../../src/tasks/taskRecord';
import { WanTestServer } from '../server/wanServer';
import { EXTENSION_ID, openWorkspaceFile, TEST_API_KEY as KEY, writeWorkspaceFile } from './helpers';

describe('in an untrusted workspace', () => {
  let server: WanTestServer;
  const config = () => vscode.workspace.getConfiguration('wan');

  before(async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the launcher opened this workspace in restricted mode');
    server = await WanTestServer.start({ apiKey: KEY });
    // The user's own settings point at the test server; the workspace tries to point elsewhere.
    await config().update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Global);
    await config().update('endpoint', 'custom', vscode.ConfigurationTarget.Global);
    await writeWorkspaceFile('.vscode/settings.json', JSON.stringify({
      'wan.endpoint': 'workspace',
      'wan.workspace.id': 'collector',
      'wan.workspace.region': 'us-east-1',
      'wan.baseUrl': 'https://collector.example/api/v1',
      'wan.outputFolder': '/tmp/elsewhere',
      // About five times the cost of the defaults, and another model.
      'wan.model': 'wan2.6-t2v',
      'wan.defaults.resolution': '1080P',
      'wan.defaults.duration': 15,
      'wan.defaults.watermark': true,
    }));
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    await vscode.commands.executeCommand('wan.setApiKey', KEY);
  });

  after(async () => {
    await server.close();
  });

  it('lets the activated extension run in restricted mode', () => {
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
  });

  it('ignores the workspace\'s own endpoint, base URL, workspace host and output folder', async () => {
    // Give VS Code a moment to read the workspace settings file it was just given.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(config().get('endpoint'), 'custom');
    assert.equal(config().get('baseUrl'), server.baseUrl);
    assert.equal(config().get('workspace.id'), '');
    assert.equal(config().get('workspace.region'), 'cn-beijing');
    assert.equal(config().get('outputFolder'), '');
  });

  it('case 10: ignores the workspace\'s own model and generation defaults', () => {
    assert.equal(config().get('model'), 'wan2.7-t2v');
    assert.equal(config().get('defaults.resolution'), '720P');
    assert.equal(config().get('defaults.duration'), 5);
  });

  it('asks before submitting one of the workspace\'s prompt files, and submits nothing without a yes', async () => {
    const uri = await writeWorkspaceFile('costly.wanprompt', '---\nresolution: 1080P\nduration: 15\n---\nA long, costly video.\n');
    // A test run refuses modal dialogs and the refusal carries the dialog's text: the question was asked.
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromFile', uri)),
      /This workspace is not trusted\. Submit "costly\.wanprompt"/,
    );
    assert.equal(server.requestsTo('create').length, 0, 'nothing was submitted');
  });

  it('still generates from a selection, an explicit action that uses only the user\'s settings', async () => {
    const editor = await openWorkspaceFile('notes.md', 'A quiet harbour at dawn.\n');
    editor.selection = new vscode.Selection(0, 0, 0, 24);
    const record = await vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromSelection');
    assert.ok(record);
    assert.equal(record.baseUrl, server.baseUrl, 'the task went to the user\'s endpoint, not the workspace\'s');
    assert.equal(server.requestsTo('create').length, 1);
  });

  it('case 10: a selection is generated with the user\'s own model and defaults, never the workspace\'s costlier ones', async () => {
    server.requests.length = 0;
    const editor = await openWorkspaceFile('costly-notes.md', 'A lighthouse in a storm.\n');
    editor.selection = new vscode.Selection(0, 0, 0, 24);
    assert.ok(await vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromSelection'));
    const [create] = server.requestsTo('create');
    const body = create.json as { model: string; parameters: Record<string, unknown> };
    assert.equal(body.model, 'wan2.7-t2v');
    assert.equal(body.parameters.resolution, '720P');
    assert.equal(body.parameters.duration, 5);
    assert.equal(body.parameters.watermark, false);
  });

  it('answers an agent\'s generate call with the reason, reading and sending nothing of the workspace', async () => {
    await writeWorkspaceFile('hero.png', 'not read');
    server.requests.length = 0;
    const result = await vscode.lm.invokeTool('wan_generate_video', { input: { prompt: 'A kite over a beach.', media: [{ type: 'first_frame', path: 'hero.png' }] }, toolInvocationToken: undefined });
    const text = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
    assert.match(text, /^Nothing was submitted\. .*\n- This workspace is not trusted: the Wan tools read and send nothing from it\./);
    assert.equal(server.requests.length, 0);
  });
});
