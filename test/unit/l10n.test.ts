// Every string a user reads has its Simplified Chinese translation: the manifest's (package.nls*.json) and every
// message the sources build with l10n.t (l10n/bundle.l10n*.json), extracted the way `npm run l10n` does.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as l10n from '@vscode/l10n';
import { getL10nJson } from '@vscode/l10n-dev';
import { examplePromptFile } from '../../src/prompt/example';
import { parsePromptFile } from '../../src/prompt/promptFile';

// out/test/unit -> repository root
const ROOT = path.resolve(__dirname, '../../..');

type Strings = Record<string, string>;

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as T;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** What a translation must keep as it is: placeholders, command links, setting references. */
function fixedParts(text: string): string[] {
  const parts = [
    ...text.matchAll(/\{\d+\}/g),
    ...text.matchAll(/\]\((command:[^)]+)\)/g),
    ...text.matchAll(/#wan\.[\w.]+#/g),
  ].map((match) => match[1] ?? match[0]);
  return [...new Set(parts)].sort();
}

/** Product names stay as they are in every language. */
const SAME_IN_EVERY_LANGUAGE = new Set(['Wan Video']);

/** A translation is Chinese unless it holds no words at all (such as "{0} {1}") or is a product name. */
function untranslated(english: string, chinese: string): boolean {
  if (/[\u4e00-\u9fff]/.test(chinese) || SAME_IN_EVERY_LANGUAGE.has(english)) return false;
  return /[A-Za-z]{2,}/.test(english.replace(/\{\d+\}/g, ''));
}

function compare(english: Strings, chinese: Strings, what: string): void {
  const missing = Object.keys(english).filter((key) => !(key in chinese));
  const stale = Object.keys(chinese).filter((key) => !(key in english));
  assert.deepEqual(missing, [], `${what}: no Chinese translation for ${JSON.stringify(missing)}`);
  assert.deepEqual(stale, [], `${what}: translations of strings the English no longer has: ${JSON.stringify(stale)}`);
  for (const [key, text] of Object.entries(english)) {
    assert.deepEqual(fixedParts(chinese[key]), fixedParts(text), `${what}: "${key}" must keep its placeholders, command links and settings`);
    assert.ok(!untranslated(text, chinese[key]), `${what}: "${key}" is not translated: "${chinese[key]}"`);
  }
}

test('every manifest string has its Chinese translation, with the same placeholders and links', () => {
  compare(readJson<Strings>('package.nls.json'), readJson<Strings>('package.nls.zh-cn.json'), 'package.nls.zh-cn.json');
});

test('every %key% of package.json is in package.nls.json, and every key there is used', () => {
  const manifest = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
  const used = new Set([...manifest.matchAll(/"%([\w.-]+)%"/g)].map((match) => match[1]));
  const defined = new Set(Object.keys(readJson<Strings>('package.nls.json')));
  assert.deepEqual([...used].filter((key) => !defined.has(key)), [], 'used in package.json but not defined');
  assert.deepEqual([...defined].filter((key) => !used.has(key)), [], 'defined in package.nls.json but never used');
  assert.equal(JSON.parse(manifest).l10n, './l10n');
});

test('l10n/bundle.l10n.json holds exactly the strings the sources pass to l10n.t (run `npm run l10n` after changing one)', async () => {
  const files = sourceFiles(path.join(ROOT, 'src')).map((file) => ({ extension: '.ts', contents: fs.readFileSync(file, 'utf8') }));
  const extracted = Object.keys(await getL10nJson(files)).sort();
  assert.ok(extracted.length > 100, `only ${extracted.length} strings found: is the extraction broken?`);
  assert.deepEqual(Object.keys(readJson<Strings>('l10n/bundle.l10n.json')).sort(), extracted);
});

test('every string of the sources has its Chinese translation, with the same placeholders', () => {
  compare(readJson<Strings>('l10n/bundle.l10n.json'), readJson<Strings>('l10n/bundle.l10n.zh-cn.json'), 'l10n/bundle.l10n.zh-cn.json');
});

test('the Chinese example of New Prompt File is a prompt file without a problem', () => {
  l10n.config({ contents: readJson<Strings>('l10n/bundle.l10n.zh-cn.json') });
  try {
    const text = examplePromptFile();
    assert.match(text, /### 纸船/);
    const file = parsePromptFile(text);
    assert.deepEqual(file.problems.map((p) => p.message), []);
    assert.equal(file.prompts.length, 2);
    assert.match(file.prompts[0].prompt, /纸船/);
  } finally {
    l10n.config({ contents: {} });
  }
});
