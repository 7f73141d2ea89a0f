// Bundles the extension: what activation loads (extension.js and core.js), and what loads on first use (net.js,
// promptParser.js, agentTools.js, and lazyShared.js, what the lazy ones share: the model table). Every module lands in exactly one file:
// the ones two bundles need go into core.js (or lazyShared.js when activation does not need them), which the others
// require at run time, so Node's require cache gives one instance of each (one WanError class, one @vscode/l10n).
import * as esbuild from 'esbuild';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag >= 0 ? process.argv[outdirFlag + 1] : 'dist';

const entryPoints = { extension: 'src/extension.ts', net: 'src/bundles/net.ts', promptParser: 'src/bundles/promptParser.ts', agentTools: 'src/bundles/agentTools.ts' };

/** `src/bundles/loader.ts` requires these at run time: keep each a separate file in dist/ instead of inlining it. */
const keepLazyBundlesSeparate = {
  name: 'keep-lazy-bundles-separate',
  setup(build) {
    build.onResolve({ filter: /^\.\/(net|promptParser|agentTools)$/ }, (args) => ({ path: `${args.path}.js`, external: true }));
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

/**
 * Where each file that more than one entry point reaches goes (absolute path -> bundle name): into core.js when
 * activation (extension.js) reaches it too, else into lazyShared.js, which only the lazy bundles load.
 */
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
  return new Map([...reachedBy]
    .filter(([, entries]) => entries.length > 1)
    .map(([file, entries]) => [path.resolve(file), entries.includes(entryPoints.extension) ? 'core' : 'lazyShared']));
}

const SHARED_BUNDLES = ['core', 'lazyShared'];

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
    build.onResolve({ filter: /^(core|lazyShared)-entry$/ }, (args) => ({ path: args.path.replace(/-entry$/, ''), namespace: 'shared-entry' }));
    build.onLoad({ filter: /.*/, namespace: 'shared-entry' }, (args) => ({
      contents: `module.exports = {\n${[...shared].filter(([, bundle]) => bundle === args.path).map(([file]) => `  ${JSON.stringify(key(file))}: require(${JSON.stringify(file)}),`).join('\n')}\n};\n`,
      resolveDir: process.cwd(),
      loader: 'js',
    }));
    build.onResolve({ filter: /^\.\/(core|lazyShared)\.js$/, namespace: 'shared' }, (args) => ({ path: args.path, external: true }));
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

const options = {
  ...common,
  entryPoints: { ...entryPoints, ...Object.fromEntries(SHARED_BUNDLES.map((name) => [name, `${name}-entry`])) },
  outdir,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  metafile: true,
  plugins: [keepLazyBundlesSeparate, oneCopyOfTheCore],
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  const result = await esbuild.build(options);
  writeFileSync(path.join(outdir, 'meta.json'), JSON.stringify(result.metafile));
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.js')) console.log(`${file}\t${(output.bytes / 1024).toFixed(1)} KB`);
  }
}
