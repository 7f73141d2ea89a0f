import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

// out/test/suite -> repository root
const manifest: { publisher: string; name: string } = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));

/** Every string in a JSON value, with where it is. */
function strings(value: unknown, at = ''): [string, string][] {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${at}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => strings(item, at ? `${at}.${key}` : key));
  return [];
}

describe('the manifest as VS Code reads it', () => {
  it('shows every title, description and walkthrough text, never a %key% placeholder', () => {
    const extension = vscode.extensions.getExtension(`${manifest.publisher}.${manifest.name}`);
    assert.ok(extension);
    const json = extension.packageJSON as { contributes: { commands: { title: string }[]; walkthroughs: { steps: unknown[] }[] } };
    const unresolved = strings(json).filter(([, text]) => /^%[\w.-]+%$/.test(text));
    assert.deepEqual(unresolved, [], 'placeholders VS Code did not replace');
    assert.equal(json.contributes.commands.find((c) => c.title === 'Set API Key')?.title, 'Set API Key');
    assert.equal(json.contributes.walkthroughs[0].steps.length, 5);
  });
});
