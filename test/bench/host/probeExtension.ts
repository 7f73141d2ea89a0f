// The benchmark's probe and reference: an extension that does nothing at activation, so its activation time is the
// floor of this VS Code on this machine; its commands take measurements inside the extension host it shares with
// Wan Video (measure.ts loads only when one runs).
import * as vscode from 'vscode';

type Measurement = 'report' | 'activation' | 'measure' | 'sound' | 'preview';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('wanBench.report', () => run('report', context)),
    vscode.commands.registerCommand('wanBench.activation', () => run('activation', context)),
    vscode.commands.registerCommand('wanBench.measure', () => run('measure', context)),
    vscode.commands.registerCommand('wanBench.sound', () => run('sound', context)),
    vscode.commands.registerCommand('wanBench.preview', () => run('preview', context)),
  );
}

async function run(measurement: Measurement, context: vscode.ExtensionContext): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- measure.js, a bundle of its own, loads only when a command runs
  const measure = require('./measure') as typeof import('./measure');
  await measure.run(measurement, context);
}
