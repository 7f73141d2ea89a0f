// A test fixture: another extension that calls Wan's generate tool as any extension may (vscode.lm.invokeTool with no
// chat token), from a command in the palette. environment.ts packages and installs it beside Wan Video. It appends
// what the call returned, or how it failed, to the file WAN_E2E_CALLER_OUT names, one JSON string a line.
import * as fs from 'node:fs';
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('agentCaller.askForVideo', async () => {
      let text: string;
      try {
        const result = await vscode.lm.invokeTool('wan_generate_video', { input: JSON.parse(process.env.WAN_E2E_CALLER_INPUT ?? '{}') as object, toolInvocationToken: undefined });
        text = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
      } catch (error) {
        text = `The call failed: ${error instanceof Error ? error.message : String(error)}`;
      }
      fs.appendFileSync(process.env.WAN_E2E_CALLER_OUT ?? '', `${JSON.stringify(text)}\n`);
    }),
  );
}
