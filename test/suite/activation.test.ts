import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, manifest } from './helpers';
import { takeScreenshot } from './screenshot';

describe('activation', () => {
  it(`finds ${EXTENSION_ID} and activates it without an error`, async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded in this extension host`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers every command package.json contributes', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const contributed = (manifest.contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no command');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
    await takeScreenshot('after-activation');
  });
});
