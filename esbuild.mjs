// Bundles the extension: what activation loads (extension.js, and core.js and layer.js), and what loads on first use
// (net.js and promptParser.js, which need no vscode; generate.js, takes.js and agentTools.js, VS Code-layer features).
// Every module lands in exactly one file: the ones two bundles need go into a shared bundle that the others require at
// run time, so Node's require cache gives one instance of each (one WanError class, one @vscode/l10n). The shared
// bundles, by who needs them:
//   core.js        activation and a lazy bundle, no vscode      lazyShared.js  only lazy bundles, no vscode
//   layer.js       activation and a lazy bundle, uses vscode    lazyLayer.js   only lazy bundles, uses vscode
// so that net.js, promptParser.js and what they load (core.js, lazyShared.js) run in plain Node too.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag >= 0 ? process.argv[outdirFlag + 1] : 'dist';

/** What `src/bundles/loader.ts` loads on first use. */
const lazyBundles = {
  net: 'src/bundles/net.ts',
  promptParser: 'src/bundles/promptParser.ts',
  generate: 'src/bundles/generate.ts',
  takes: 'src/bundles/takes.ts',
  agentTools: 'src/bundles/agentTools.ts',
};
const entryPoints = { extension: 'src/extension.ts', ...lazyBundles };

/** The loader requires these at run time: keep each a separate file in dist/ instead of inlining it. */
const keepLazyBundlesSeparate = {
  name: 'keep-lazy-bundles-separate',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^\\./(${Object.keys(lazyBundles).join('|')})$`) }, (args) => ({ path: `${args.path}.js`, external: true }));
  },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  logLevel: 'info',
};

/** Where each file that more than one entry point reaches goes (absolute path -> bundle name), as the table above says. */
async function sharedFiles() {
  const { metafile } = await esbuild.build({ ...common, entryPoints, outdir, write: false, metafile: true, logLevel: 'silent', plugins: [keepLazyBundlesSeparate] });
  const reachedBy = new Map();
  for (const output of Object.values(metafile.outputs)) {
    if (!output.entryPoint) continue;
    const seen = new Set();
    const visit = (file) => {
      if (seen.has(file) || !metafile.inputs[file]) return;
      seen.add(file);
      for (const imported of metafile.inputs[file].imports) if (!imported.external) visit(imported.path);
    };
    visit(output.entryPoint);
    for (const file of seen) reachedBy.set(file, [...(reachedBy.get(file) ?? []), output.entryPoint]);
  }
  const vscodeUsers = filesReachingVscode(metafile);
  const bundleOf = (file, entries) => {
    const activation = entries.includes(entryPoints.extension);
    if (vscodeUsers.has(file)) return activation ? 'layer' : 'lazyLayer';
    return activation ? 'core' : 'lazyShared';
  };
  return new Map([...reachedBy]
    .filter(([, entries]) => entries.length > 1)
    .map(([file, entries]) => [path.resolve(file), bundleOf(file, entries)]));
}

/** The files that import vscode, or import one that does. */
function filesReachingVscode(metafile) {
  const importers = new Map();
  const reaching = new Set();
  for (const [file, input] of Object.entries(metafile.inputs)) {
    for (const imported of input.imports) {
      if (imported.external && imported.path === 'vscode') reaching.add(file);
      else if (!imported.external) importers.set(imported.path, [...(importers.get(imported.path) ?? []), file]);
    }
  }
  const queue = [...reaching];
  while (queue.length > 0) {
    for (const importer of importers.get(queue.pop()) ?? []) {
      if (!reaching.has(importer)) {
        reaching.add(importer);
        queue.push(importer);
      }
    }
  }
  return reaching;
}

const SHARED_BUNDLES = ['core', 'lazyShared', 'layer', 'lazyLayer'];

/**
 * Builds the shared files into core.js and lazyShared.js (entries that expose each one's exports under its path) and,
 * in every other bundle, replaces each import of a shared file with a require of the bundle holding it. What is shared
 * is worked out again at the start of every build, so watch mode follows new imports.
 */
const oneCopyOfTheCore = {
  name: 'one-copy-of-the-core',
  setup(build) {
    let shared = new Map();
    build.onStart(async () => {
      shared = await sharedFiles();
    });
    build.onResolve({ filter: new RegExp(`^(${SHARED_BUNDLES.join('|')})-entry$`) }, (args) => ({ path: args.path.replace(/-entry$/, ''), namespace: 'shared-entry' }));
    build.onLoad({ filter: /.*/, namespace: 'shared-entry' }, (args) => ({
      contents: `module.exports = {\n${[...shared].filter(([, bundle]) => bundle === args.path).map(([file]) => `  ${JSON.stringify(key(file))}: require(${JSON.stringify(file)}),`).join('\n')}\n};\n`,
      resolveDir: process.cwd(),
      loader: 'js',
    }));
    build.onResolve({ filter: new RegExp(`^\\./(${SHARED_BUNDLES.join('|')})\\.js$`), namespace: 'shared' }, (args) => ({ path: args.path, external: true }));
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === oneCopyOfTheCore || args.kind === 'entry-point' || args.namespace !== 'file') return undefined;
      const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: oneCopyOfTheCore });
      const bundle = resolved.errors.length > 0 ? undefined : shared.get(resolved.path);
      // Inside a shared bundle its own files import each other directly.
      if (!bundle || bundle === shared.get(args.importer)) return undefined;
      return { path: key(resolved.path), namespace: 'shared', pluginData: { bundle } };
    });
    build.onLoad({ filter: /.*/, namespace: 'shared' }, (args) => ({
      contents: `module.exports = require('./${args.pluginData.bundle}.js')[${JSON.stringify(args.path)}];\n`,
      loader: 'js',
    }));
  },
};

/** A shared file's name in core.js: its path from the project root (the same in every bundle of one build). */
function key(file) {
  return path.relative(process.cwd(), file).split(path.sep).join('/');
}

// Only the shared bundles something goes into (in watch mode, a new one needs a restart).
const bundlesInUse = new Set((await sharedFiles()).values());
const sharedBundles = SHARED_BUNDLES.filter((name) => bundlesInUse.has(name));
const options = {
  ...common,
  entryPoints: { ...entryPoints, ...Object.fromEntries(sharedBundles.map((name) => [name, `${name}-entry`])) },
  outdir,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  metafile: true,
  plugins: [keepLazyBundlesSeparate, oneCopyOfTheCore],
};

/**
 * The soundtrack converter's worker thread: a file of its own, built alone (a worker thread is a fresh realm that shares
 * no module with the extension's bundles), beside the committed WebAssembly and its glue (native/soundtrack/build.sh
 * makes them), which it loads.
 */
const soundtrackWorker = {
  ...common,
  entryPoints: { soundtrackWorker: 'src/sound/soundtrackWorker.ts' },
  outdir,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
};
mkdirSync(outdir, { recursive: true });
for (const file of ['soundtrack.js', 'soundtrack.wasm', 'COPYING.LGPLv2.1']) copyFileSync(path.join('native', 'soundtrack', 'wasm', file), path.join(outdir, file));

if (watch) {
  const context = await esbuild.context(options);
  await (await esbuild.context(soundtrackWorker)).watch();
  await context.watch();
} else {
  await esbuild.build(soundtrackWorker);
  const result = await esbuild.build(options);
  writeFileSync(path.join(outdir, 'meta.json'), JSON.stringify(result.metafile));
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.js')) console.log(`${file}\t${(output.bytes / 1024).toFixed(1)} KB`);
  }
}
