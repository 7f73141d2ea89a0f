// The workspace endpoint's settings as the extension reads them. Nothing here is sent to a workspace host: the test
// server lives on 127.0.0.1, so the host it builds is checked here and in test/unit/wan/endpoints.test.ts.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TaskRecord } from '../../src/tasks/taskRecord';
import { SettingsError } from '../../src/vscode/errorMessages';
import { readEndpoint } from '../../src/vscode/settings';
import { WanTestServer } from '../server/wanServer';
import { EXTENSION_ID, openWorkspaceFile, TEST_API_KEY as KEY } from './helpers';

describe('the workspace endpoint', () => {
  let server: WanTestServer;
  const config = () => vscode.workspace.getConfiguration('wan');
  const set = (key: string, value: unknown) => config().update(key, value, vscode.ConfigurationTarget.Global);

  before(async () => {
    server = await WanTestServer.start({ apiKey: KEY });
    await set('baseUrl', server.baseUrl);
    await set('endpoint', 'custom');
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    await vscode.commands.executeCommand('wan.setApiKey', KEY);
  });

  after(async () => {
    await server.close();
    for (const key of ['workspace.region', 'workspace.id', 'endpoint', 'baseUrl']) await set(key, undefined);
  });

  it('refuses a workspace id that is not a DNS label, naming the setting, and submits nothing', async () => {
    await set('endpoint', 'workspace');
    await set('workspace.region', 'ap-southeast-1');
    for (const id of ['', 'My_Workspace', 'ws-1a2b.ap-southeast-1.maas.aliyuncs.com', '-ws']) {
      await set('workspace.id', id);
      assert.throws(readEndpoint, (error: unknown) => {
        assert.ok(error instanceof SettingsError);
        assert.equal(error.setting, 'wan.workspace.id');
        assert.match(error.message, /^wan\.workspace\.id: ".*" is not a workspace id, which is 1 to 63 lowercase letters, digits and hyphens/);
        assert.match(error.message, /Model Studio console/);
        return true;
      }, id);
      await openWorkspaceFile('workspace.md', 'A harbour at dawn.\n');
      vscode.window.activeTextEditor!.selection = new vscode.Selection(0, 0, 0, 18);
      assert.equal(await vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromSelection'), undefined, id);
    }
    await set('workspace.region', 'mars-1');
    await set('workspace.id', 'ws-1a2b');
    assert.throws(readEndpoint, (error: unknown) => error instanceof SettingsError && error.setting === 'wan.workspace.region' && /cn-beijing, ap-southeast-1/.test(error.message));
    assert.equal(server.requestsTo('create').length, 0);
  });

  it('builds the host from the id and region, and keeps that workspace\'s key apart from the others', async () => {
    await set('endpoint', 'workspace');
    await set('workspace.id', 'ws-1a2b');
    await set('workspace.region', 'eu-central-1');
    assert.deepEqual(readEndpoint(), { id: 'workspace', baseUrl: 'https://ws-1a2b.eu-central-1.maas.aliyuncs.com/api/v1' });
    assert.equal(await vscode.commands.executeCommand('wan.setApiKey', 'sk-workspace-key-not-for-elsewhere'), true);

    // Back on the test server, its own key is still the one sent.
    await set('endpoint', 'custom');
    await openWorkspaceFile('elsewhere.md', 'A lighthouse in a storm.\n');
    vscode.window.activeTextEditor!.selection = new vscode.Selection(0, 0, 0, 24);
    assert.ok(await vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromSelection'));
    const [create] = server.requestsTo('create');
    assert.equal(create.headers.authorization, `Bearer ${KEY}`);
  });
});
