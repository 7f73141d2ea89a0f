// The README documents everything the extension contributes, and its pictures are where it says.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { PROMPT_FILE_KEYS } from '../../src/prompt/promptFile';
import { estimateLabel, estimateSubmission, type CostInput } from '../../src/tasks/costs';
import { ENDPOINT_BASE_URLS, workspaceBaseUrl, WORKSPACE_REGIONS, type WorkspaceRegion } from '../../src/wan/endpoints';

// out/test/unit -> repository root
const ROOT = path.resolve(__dirname, '../../..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string; title: string }[]; configuration: { properties: Record<string, unknown> } };
};
const strings = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;

test('names every command by the title users see', () => {
  const titles = manifest.contributes.commands.map((c) => strings[c.title.replace(/^%|%$/g, '')] ?? c.title);
  assert.deepEqual(titles.filter((title) => !readme.includes(title)), []);
});

test('names every setting in full', () => {
  const settings = Object.keys(manifest.contributes.configuration.properties);
  assert.deepEqual(settings.filter((setting) => !readme.includes(`\`${setting}\``)), []);
});

test('names every prompt-file key', () => {
  assert.deepEqual(PROMPT_FILE_KEYS.filter((key) => !readme.includes(`\`${key}\``)), []);
});

test('gives every endpoint with its base URL', () => {
  for (const [endpoint, baseUrl] of Object.entries(ENDPOINT_BASE_URLS)) {
    assert.ok(readme.includes(`\`${endpoint}\``) && readme.includes(baseUrl), `${endpoint} (${baseUrl})`);
  }
  assert.ok(readme.includes('`custom`'));
  assert.ok(readme.includes('`workspace`') && readme.includes(workspaceBaseUrl('{wan.workspace.id}', '{wan.workspace.region}' as WorkspaceRegion)));
  assert.deepEqual(WORKSPACE_REGIONS.filter((region) => !readme.includes(`\`${region}\``)), [], 'every workspace region');
});

test('every picture exists in media/readme/, which the .vsix leaves out: a PNG of at most 150 KB, or a GIF of at most 400 KB', () => {
  const pictures = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((match) => match[1]);
  assert.ok(pictures.length >= 3, 'the README shows the tree, the preview and a prompt file');
  const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8');
  assert.doesNotMatch(ignore, /^!media\/(\*\*|readme)/m, 'media/readme/ is left out of the .vsix');
  for (const picture of pictures) {
    assert.match(picture, /^media\/readme\/[\w-]+\.(png|gif)$/);
    const size = fs.statSync(path.join(ROOT, picture)).size;
    const limit = picture.endsWith('.gif') ? 400 * 1024 : 150 * 1024;
    assert.ok(size <= limit, `${picture} is ${Math.round(size / 1024)} KB`);
  }
});

test('the Developing layout lists every folder of src/ and test/, and only those', () => {
  const listed = [...readme.matchAll(/^ {2}\| `((?:src|test)\/[\w]+)\/` \|/gm)].map((match) => match[1]).sort();
  const folders = ['src', 'test'].flatMap((top) => fs.readdirSync(path.join(ROOT, top), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${top}/${entry.name}`)).sort();
  assert.deepEqual(listed, folders);
});

test('the table of example costs is what the extension computes', () => {
  const apiyi = { id: 'apiyi', baseUrl: ENDPOINT_BASE_URLS.apiyi } as const;
  const beijing = { id: 'dashscope', baseUrl: ENDPOINT_BASE_URLS.dashscope } as const;
  const examples: [string, CostInput[]][] = [
    ['one `wan2.7-t2v` video, 5 s 720P', [{ model: 'wan2.7-t2v', resolution: '720P', duration: 5 }]],
    ['one `wan2.7-t2v` video, 15 s 1080P', [{ model: 'wan2.7-t2v', resolution: '1080P', duration: 15 }]],
    ['one `wan3.0-video` video, 5 s, resolution left out (1080P)', [{ model: 'wan3.0-video', duration: 5 }]],
    ['one `wan3.0-video` video, `duration: -1` (2–30 s), 720P', [{ model: 'wan3.0-video', resolution: '720P', duration: -1 }]],
    ['`wan2.7-videoedit` of a 6 s clip, `duration: 0`, 720P (6 s in + 6 s out)', [{ model: 'wan2.7-videoedit', resolution: '720P', duration: 0, inputSeconds: 6 }]],
    ['Generate all: 12 videos of `wan2.7-t2v`, 9 s 1080P', Array.from({ length: 12 }, () => ({ model: 'wan2.7-t2v', resolution: '1080P', duration: 9 }))],
    ['one `wan2.6-t2v` video (no published price)', [{ model: 'wan2.6-t2v', size: '1280*720', duration: 5 }]],
  ];
  const rows = examples.map(([what, inputs]) => `| ${what} | ${estimateLabel(estimateSubmission(inputs, beijing))} | ${estimateLabel(estimateSubmission(inputs, apiyi))} |`);
  const table = ['| submission | `dashscope` (Beijing, CNY) | `apiyi` (USD) |', '|---|---|---|', ...rows].join('\n');
  assert.ok(readme.includes(`<!-- cost examples: test/unit/readme.test.ts -->\n${table}\n`), `the README's table should read:\n${table}`);
});
