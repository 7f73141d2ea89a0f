// Heavy code loads on first use, never at activation: the network code (undici, ~540 KB), the prompt-file parser
// (yaml, ~115 KB), and what activation does not need (submitting, Compare Takes, the agents' tools). esbuild keeps each
// as its own file in dist/ (see esbuild.mjs), which is why every require below names its bundle literally; the modules
// they share with activation come from dist/core.js and dist/layer.js.
/* eslint-disable @typescript-eslint/no-require-imports -- this module's job is to require() the lazy bundles on first use */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

let net: typeof import('./net') | undefined;
let promptParser: typeof import('./promptParser') | undefined;
let takes: typeof import('./takes') | undefined;
let generate: typeof import('./generate') | undefined;
let agentTools: typeof import('./agentTools') | undefined;

/** The vscode-free modules translate their messages with @vscode/l10n: give it VS Code's translations for this extension (none in English, which is the source text). */
export function configureTranslations(): void {
  l10n.config({ contents: vscode.l10n.bundle ?? {} });
}

export function loadNet(): typeof import('./net') {
  net ??= require('./net') as typeof import('./net');
  return net;
}

/** Closes the keep-alive connections, if the network code was ever loaded. */
export async function closeNet(): Promise<void> {
  await net?.closeDispatcher();
}

export function loadPromptParser(): typeof import('./promptParser') {
  promptParser ??= require('./promptParser') as typeof import('./promptParser');
  return promptParser;
}

export function loadGenerate(): typeof import('./generate') {
  generate ??= require('./generate') as typeof import('./generate');
  return generate;
}

export function loadTakes(): typeof import('./takes') {
  takes ??= require('./takes') as typeof import('./takes');
  return takes;
}

export function loadAgentTools(): typeof import('./agentTools') {
  agentTools ??= require('./agentTools') as typeof import('./agentTools');
  return agentTools;
}
