import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './helpers';

/** Every string in a JSON value, with where it is. */
function strings(value: unknown, at = ''): [string, string][] {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${at}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => strings(item, at ? `${at}.${key}` : key));
  return [];
}

describe('the manifest as VS Code reads it', () => {
  it('shows every title, description and walkthrough text, never a %key% placeholder', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const json = extension.packageJSON as { contributes: { commands: { title: string }[]; walkthroughs: { steps: unknown[] }[] } };
    const unresolved = strings(json).filter(([, text]) => /^%[\w.-]+%$/.test(text));
    assert.deepEqual(unresolved, [], 'placeholders VS Code did not replace');
    assert.equal(json.contributes.commands.find((c) => c.title === 'Set API Key')?.title, 'Set API Key');
    assert.equal(json.contributes.walkthroughs[0].steps.length, 5);
  });
});
