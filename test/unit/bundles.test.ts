// The bundles as they ship (`node esbuild.mjs --production`, into a temporary folder): every module in exactly one
// file, what activation loads small and free of undici and yaml, and the lazy bundles using the core's one copy.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';

// out/test/unit -> repository root
const repoRoot = path.resolve(__dirname, '..', '..', '..');
/** What activation loads: VS Code requires extension.js, which requires core.js and layer.js. */
const ACTIVATION = ['extension.js', 'core.js', 'layer.js'];
const ACTIVATION_LIMIT = 100 * 1024;

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

describe('bundles', () => {
  let outdir: string;
  /** Each .js file in the build, by its name, with the source files (paths from the repository root) it holds. */
  const bundles = new Map<string, { bytes: number; files: string[] }>();

  before(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-bundles-'));
    execFileSync(process.execPath, ['esbuild.mjs', '--production', '--outdir', outdir], { cwd: repoRoot, stdio: 'pipe' });
    const metafile = JSON.parse(fs.readFileSync(path.join(outdir, 'meta.json'), 'utf8')) as Metafile;
    for (const [file, output] of Object.entries(metafile.outputs)) {
      if (!file.endsWith('.js')) continue;
      // Inputs named `namespace:…` are esbuild.mjs's own modules (core.js's entry, the stubs that require core.js), not files.
      const files = Object.keys(output.inputs).filter((input) => !/^[\w-]+:/.test(input));
      bundles.set(path.basename(file), { bytes: output.bytes, files });
    }
  });

  after(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('every file, under src/ or from a package, lands in exactly one bundle', () => {
    assert.deepEqual([...bundles.keys()].sort(), ['agentTools.js', 'core.js', 'extension.js', 'generate.js', 'layer.js', 'lazyShared.js', 'net.js', 'promptParser.js', 'takes.js']);
    const bundlesOf = new Map<string, string[]>();
    for (const [bundle, { files }] of bundles) {
      for (const file of files) bundlesOf.set(file, [...(bundlesOf.get(file) ?? []), bundle]);
    }
    const inTwo = [...bundlesOf].filter(([, names]) => names.length > 1).map(([file, names]) => `${file}: ${names.join(', ')}`);
    assert.deepEqual(inTwo, []);
    // What the lazy bundles share with activation is in the core.
    assert.ok(bundles.get('core.js')!.files.includes('src/wan/errors.ts'));
    assert.ok(bundles.get('core.js')!.files.some((file) => file.includes('node_modules/@vscode/l10n/')));
    // What only the lazy bundles share (the model table, which grows a row per model) stays out of activation.
    assert.ok(bundles.get('lazyShared.js')!.files.includes('src/wan/models.ts'));
    // What a VS Code-layer feature loaded on first use shares with activation is in the layer, so the core needs no vscode.
    assert.ok(bundles.get('layer.js')!.files.includes('src/vscode/settings.ts'));
    assert.ok(bundles.get('takes.js')!.files.includes('src/preview/comparePage.ts'));
    assert.ok(!bundles.get('extension.js')!.files.includes('src/preview/comparePage.ts'), 'the grid loads on first use');
    assert.ok(bundles.get('generate.js')!.files.includes('src/generate/submitter.ts'), 'submitting loads on the first generate command');
  });

  test('what activation loads stays under 100 KB, without undici or yaml', () => {
    const bytes = ACTIVATION.reduce((sum, bundle) => sum + bundles.get(bundle)!.bytes, 0);
    assert.ok(bytes < ACTIVATION_LIMIT, `${ACTIVATION.join(' + ')}: ${(bytes / 1024).toFixed(1)} KB, over ${ACTIVATION_LIMIT / 1024} KB`);
    const heavy = ACTIVATION.flatMap((bundle) => bundles.get(bundle)!.files).filter((file) => /node_modules\/(undici|yaml)\//.test(file));
    assert.deepEqual(heavy, []);
  });

  test('net.js throws the core\'s WanError and translates with the core\'s @vscode/l10n', async () => {
    // Plain Node, as the bench loads it: the lazy bundles need no vscode.
    /* eslint-disable @typescript-eslint/no-require-imports -- the built files, not the sources */
    const core = require(path.join(outdir, 'core.js')) as Record<string, unknown>;
    const net = require(path.join(outdir, 'net.js')) as typeof import('../../src/bundles/net');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const { WanError } = core['src/wan/errors.ts'] as typeof import('../../src/wan/errors');
    const l10n = Object.entries(core).find(([file]) => file.includes('node_modules/@vscode/l10n/'))![1] as typeof import('@vscode/l10n');
    l10n.config({ contents: { '{0} already exists; the download does not overwrite it.': 'EXISTS {0}' } });
    const existing = path.join(outdir, 'core.js');
    await assert.rejects(net.downloadVideo('https://example.com/video.mp4', existing), (error: unknown) => {
      assert.ok(error instanceof WanError);
      assert.equal(error.message, `EXISTS ${existing}`);
      return true;
    });
  });
});
