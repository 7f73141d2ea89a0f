// Problems of .wanprompt files, shown while typing, at the exact line and value.
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { onDidChangeSettings, SETTINGS } from '../vscode/settings';
import { DIAGNOSTIC_SOURCE, parseDocument, PROMPT_LANGUAGE, rangeOf } from './promptDocuments';

export class PromptDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('wanprompt'));

  constructor() {
    super();
    this._register(vscode.workspace.onDidOpenTextDocument((document) => this.check(document)));
    this._register(vscode.workspace.onDidChangeTextDocument((event) => this.check(event.document)));
    this._register(vscode.workspace.onDidCloseTextDocument((document) => this.collection.delete(document.uri)));
    // A file without `model:` follows the setting: its rules change with it.
    this._register(onDidChangeSettings([SETTINGS.model], () => {
      for (const document of vscode.workspace.textDocuments) this.check(document);
    }));
    for (const document of vscode.workspace.textDocuments) this.check(document);
  }

  check(document: vscode.TextDocument): void {
    if (document.languageId !== PROMPT_LANGUAGE) return;
    const { problems } = parseDocument(document);
    this.collection.set(document.uri, problems.map((problem) => {
      const severity = problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
      const diagnostic = new vscode.Diagnostic(rangeOf(document, problem.start, problem.end), problem.message, severity);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      if (problem.field) diagnostic.code = problem.field;
      return diagnostic;
    }));
  }
}
