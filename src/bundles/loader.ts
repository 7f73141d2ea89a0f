// Heavy code loads on first use, never at activation: the network code (undici, ~540 KB) and the
// prompt-file parser (yaml, ~115 KB). esbuild keeps each as its own file in dist/ (see esbuild.mjs).
/* eslint-disable @typescript-eslint/no-require-imports -- this module's job is to require() the lazy bundles on first use */
import * as vscode from 'vscode';

let net: typeof import('./net') | undefined;
let promptParser: typeof import('./promptParser') | undefined;

/**
 * The vscode-free modules translate their messages with @vscode/l10n, and each file in dist/ holds its own copy of it:
 * every copy gets VS Code's translations for this extension (none in English, which is the source text).
 */
export function shareTranslations(configure: (options: { contents: Record<string, string> }) => void): void {
  configure({ contents: vscode.l10n.bundle ?? {} });
}

export function loadNet(): typeof import('./net') {
  if (!net) {
    net = require('./net') as typeof import('./net');
    shareTranslations(net.configureL10n);
  }
  return net;
}

/** Closes the keep-alive connections, if the network code was ever loaded. */
export async function closeNet(): Promise<void> {
  await net?.closeDispatcher();
}

export function loadPromptParser(): typeof import('./promptParser') {
  if (!promptParser) {
    promptParser = require('./promptParser') as typeof import('./promptParser');
    shareTranslations(promptParser.configureL10n);
  }
  return promptParser;
}
