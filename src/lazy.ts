// Heavy code loads on first use, never at activation: the network code (undici, ~540 KB) and the
// prompt-file parser (yaml, ~115 KB). esbuild keeps each as its own file in dist/ (see esbuild.mjs).
/* eslint-disable @typescript-eslint/no-require-imports */

let net: typeof import('./net') | undefined;

export function loadNet(): typeof import('./net') {
  net ??= require('./net') as typeof import('./net');
  return net;
}

/** Closes the keep-alive connections, if the network code was ever loaded. */
export async function closeNet(): Promise<void> {
  await net?.closeDispatcher();
}

export function loadPromptParser(): typeof import('./promptParser') {
  return require('./promptParser');
}
