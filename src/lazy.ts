// The network code (undici, ~540 KB) loads on first use, never at activation.
// esbuild keeps './net' as the separate file dist/net.js (see esbuild.mjs).
export function loadNet(): typeof import('./net') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./net');
}
