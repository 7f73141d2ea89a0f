// Problems of .wanprompt files, shown while typing, at the exact line and value.
import * as vscode from 'vscode';
import { loadPromptParser } from './lazy';

export class PromptDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('wanprompt');
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((document) => this.check(document)),
      vscode.workspace.onDidChangeTextDocument((event) => this.check(event.document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.collection.delete(document.uri)),
    ];
    for (const document of vscode.workspace.textDocuments) this.check(document);
  }

  check(document: vscode.TextDocument): void {
    if (document.languageId !== 'wanprompt') return;
    const { problems } = loadPromptParser().parsePromptFile(document.getText());
    this.collection.set(document.uri, problems.map((problem) => {
      const range = new vscode.Range(document.positionAt(problem.start), document.positionAt(problem.end));
      const diagnostic = new vscode.Diagnostic(range, problem.message, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'Wan';
      if (problem.field) diagnostic.code = problem.field;
      return diagnostic;
    }));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
