import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { filesOutsideWorkspace, promptFileInWorkspace } from '../../../src/agent/workspaceFiles';
import { png } from '../media/fixtures';

const root = mkdtempSync(join(tmpdir(), 'wan-agent-files-'));
const workspace = join(root, 'workspace');
const home = join(root, 'home');
const key = join(home, '.ssh', 'id_rsa');
mkdirSync(join(workspace, 'img'), { recursive: true });
mkdirSync(join(home, '.ssh'), { recursive: true });
writeFileSync(key, '-----BEGIN OPENSSH PRIVATE KEY-----\nfake\n');
writeFileSync(join(workspace, 'img', 'boat.png'), png(640, 480));
writeFileSync(join(workspace, 'shots.wanprompt'), 'A boat.\n');
symlinkSync(key, join(workspace, 'img', 'innocent.png'));
symlinkSync(join(home, '.ssh'), join(workspace, 'keys'));

after(() => rmSync(root, { recursive: true, force: true }));

const first = (source: string) => [{ type: 'first_frame' as const, source }];

describe('filesOutsideWorkspace', () => {
  test('a file of the workspace, by its relative or absolute path, and a link may go', async () => {
    assert.deepEqual(await filesOutsideWorkspace(first('img/boat.png'), workspace, [workspace]), []);
    assert.deepEqual(await filesOutsideWorkspace(first(join(workspace, 'img', 'boat.png')), workspace, [workspace]), []);
    assert.deepEqual(await filesOutsideWorkspace(first('img/../img/boat.png'), workspace, [workspace]), []);
    assert.deepEqual(await filesOutsideWorkspace(first('https://example.com/a.png'), workspace, [workspace]), []);
  });

  test('~/.ssh/id_rsa is refused by its absolute path, through .., through a link to it and through a linked folder', async () => {
    for (const source of [key, relative(workspace, key), 'img/innocent.png', 'keys/id_rsa']) {
      const problems = await filesOutsideWorkspace(first(source), workspace, [workspace]);
      assert.equal(problems.length, 1, source);
      assert.match(problems[0], /is outside the workspace folders: nothing is sent from there/, source);
    }
  });

  test('a voice is checked like its reference', async () => {
    const problems = await filesOutsideWorkspace([{ type: 'reference_image', source: 'img/boat.png', referenceVoice: key }], workspace, [workspace]);
    assert.equal(problems.length, 1);
  });

  test('a missing file, and any file with no folder open, are refused', async () => {
    assert.match((await filesOutsideWorkspace(first('img/none.png'), workspace, [workspace]))[0], /there is no file at this path/);
    assert.match((await filesOutsideWorkspace(first('img/boat.png'), undefined, []))[0], /No folder is open/);
  });
});

describe('promptFileInWorkspace', () => {
  test('a .wanprompt of the workspace is found; another kind of file or one outside is refused', async () => {
    assert.deepEqual(await promptFileInWorkspace('shots.wanprompt', [workspace]), { file: join(workspace, 'shots.wanprompt') });
    assert.ok('problem' in (await promptFileInWorkspace('img/boat.png', [workspace])));
    writeFileSync(join(home, 'evil.wanprompt'), 'x');
    const outside = await promptFileInWorkspace(relative(workspace, join(home, 'evil.wanprompt')), [workspace]);
    assert.ok('problem' in outside && /outside the workspace/.test(outside.problem));
  });
});
