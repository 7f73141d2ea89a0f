import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { filesContaining } from '../../vscode/secretScan';

describe('the key search after an extension-host run', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'wan-scan-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('finds the key in any file, however deep, and only there', () => {
    mkdirSync(path.join(root, 'logs', 'exthost'), { recursive: true });
    writeFileSync(path.join(root, 'logs', 'exthost', 'Wan Video.log'), 'POST /tasks → 200\nAuthorization: Bearer sk-secret-abc\n');
    writeFileSync(path.join(root, 'settings.json'), '{"wan.endpoint": "custom"}');
    writeFileSync(path.join(root, 'video.mp4'), Buffer.concat([Buffer.alloc(1000), Buffer.from('sk-secret-abc'), Buffer.alloc(10)]));
    const result = filesContaining([root], 'sk-secret-abc');
    assert.equal(result.scanned.length, 3);
    assert.deepEqual(result.leaks.map((f) => path.relative(root, f)).sort(), [path.join('logs', 'exthost', 'Wan Video.log'), 'video.mp4']);
  });
});
