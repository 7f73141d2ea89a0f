// Problems of .wanprompt files, shown while typing, at the exact line and value; those of the files they name follow.
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { onDidChangeSettings, SETTINGS } from '../vscode/settings';
import { mediaDiagnostics } from './mediaDiagnostics';
import { DIAGNOSTIC_SOURCE, parseDocument, PROMPT_LANGUAGE, rangeOf } from './promptDocuments';

/** Files written, renamed or deleted while a prompt file is open change its file problems. */
const MEDIA_FILES = '**/*.{png,jpg,jpeg,bmp,webp,mp4,mov,wav,mp3,pdf,docx,doc,xlsx,xls,pptx,ppt,txt,md,key,pages,numbers}';

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
    const watcher = this._register(vscode.workspace.createFileSystemWatcher(MEDIA_FILES));
    const recheck = () => {
      for (const document of vscode.workspace.textDocuments) this.check(document);
    };
    this._register(watcher.onDidCreate(recheck));
    this._register(watcher.onDidChange(recheck));
    this._register(watcher.onDidDelete(recheck));
    recheck();
  }

  check(document: vscode.TextDocument): void {
    if (document.languageId !== PROMPT_LANGUAGE) return;
    const file = parseDocument(document);
    const parsed = file.problems.map((problem) => {
      const severity = problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
      const diagnostic = new vscode.Diagnostic(rangeOf(document, problem.start, problem.end), problem.message, severity);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      if (problem.field) diagnostic.code = problem.field;
      return diagnostic;
    });
    this.collection.set(document.uri, parsed);
    const version = document.version;
    void mediaDiagnostics(document, file).then((files) => {
      // A later edit has its own check on the way.
      if (files.length > 0 && document.version === version && !document.isClosed) this.collection.set(document.uri, [...parsed, ...files]);
    }, () => undefined);
  }
}
