// Bundles the extension. Two entries: what activation loads, and what loads on first use.
import * as esbuild from 'esbuild';
import { writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** `src/bundles/loader.ts` requires these at run time: keep each a separate file in dist/ instead of inlining it. */
const keepLazyBundlesSeparate = {
  name: 'keep-lazy-bundles-separate',
  setup(build) {
    build.onResolve({ filter: /^\.\/(net|promptParser)$/ }, (args) => ({ path: `${args.path}.js`, external: true }));
  },
};

const options = {
  entryPoints: { extension: 'src/extension.ts', net: 'src/bundles/net.ts', promptParser: 'src/bundles/promptParser.ts' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  metafile: true,
  logLevel: 'info',
  plugins: [keepLazyBundlesSeparate],
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  const result = await esbuild.build(options);
  writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.js')) console.log(`${file}\t${(output.bytes / 1024).toFixed(1)} KB`);
  }
}
