// Quick fixes for the problems whose fix is clear: 720p → 720P, "5" → 5, 20 → 15, a misspelt key, a key the model does not take, a PNG with transparency.
import * as vscode from 'vscode';
import { FLATTEN_COMMAND } from './flattenImage';
import { ALPHA_CODE } from './mediaDiagnostics';
import { DIAGNOSTIC_SOURCE, parseDocument, rangeOf } from './promptDocuments';

export class PromptQuickFixes implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) return [];
    const file = parseDocument(document);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      if (diagnostic.code === ALPHA_CODE) {
        const action = new vscode.CodeAction(vscode.l10n.t('Write an opaque copy (over white) beside it and use that'), vscode.CodeActionKind.QuickFix);
        action.command = { command: FLATTEN_COMMAND, title: action.title, arguments: [document.uri, diagnostic.range] };
        action.diagnostics = [diagnostic];
        action.isPreferred = true;
        actions.push(action);
        continue;
      }
      // The diagnostic carries no fixes across the extension host boundary: find its problem again by place and text.
      const start = document.offsetAt(diagnostic.range.start);
      const end = document.offsetAt(diagnostic.range.end);
      const problem = file.problems.find((p) => p.start === start && p.end === end && p.message === diagnostic.message);
      const fixes = problem?.fixes ?? [];
      fixes.forEach((fix, i) => {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        for (const edit of fix.edits) action.edit.replace(document.uri, rangeOf(document, edit.start, edit.end), edit.text);
        action.diagnostics = [diagnostic];
        action.isPreferred = i === 0;
        actions.push(action);
      });
    }
    return actions;
  }
}
