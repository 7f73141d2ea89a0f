// Heavy code loads on first use, never at activation: the network code (undici, ~540 KB) and the
// prompt-file parser (yaml, ~115 KB). esbuild keeps each as its own file in dist/ (see esbuild.mjs).
/* eslint-disable @typescript-eslint/no-require-imports */

export function loadNet(): typeof import('./net') {
  return require('./net');
}

export function loadPromptParser(): typeof import('./promptParser') {
  return require('./promptParser');
}
