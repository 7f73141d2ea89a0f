// The problems of the local files a prompt file names (missing, outside the workspace, alpha, sides, durations…), read
// from their headers after each parse; they join the parser's problems in the same collection.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadPromptParser } from '../bundles/loader';
import type { MediaFileContext, MediaFileProblem } from '../prompt/mediaFiles';
import type { PromptFile } from '../prompt/promptFile';
import { DIAGNOSTIC_SOURCE, rangeOf } from './promptDocuments';

/** The code of a diagnostic whose file a quick fix can flatten. */
export const ALPHA_CODE = 'alpha';

/** Where the document's relative paths start, and the folders its files must be in; undefined for a document not on disk. */
export function mediaContext(document: vscode.TextDocument): MediaFileContext | undefined {
  if (document.uri.scheme !== 'file') return undefined;
  return { promptFolder: path.dirname(document.uri.fsPath), workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath) };
}

/** Every prompt's file problems, each said once (a file the front matter names is checked under every prompt). */
export async function mediaDiagnostics(document: vscode.TextDocument, file: PromptFile): Promise<vscode.Diagnostic[]> {
  const context = mediaContext(document);
  if (!context || !file.prompts.some((entry) => entry.media.length > 0)) return [];
  const { checkMediaFiles } = loadPromptParser();
  const all = (await Promise.all(file.prompts.map((entry) => checkMediaFiles(entry, context)))).flat();
  const seen = new Set<string>();
  return all.filter((problem) => {
    const key = `${problem.start}:${problem.end}:${problem.message}`;
    return !seen.has(key) && seen.add(key);
  }).map((problem) => toDiagnostic(document, problem));
}

function toDiagnostic(document: vscode.TextDocument, problem: MediaFileProblem): vscode.Diagnostic {
  const severity = problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
  const diagnostic = new vscode.Diagnostic(rangeOf(document, problem.start, problem.end), problem.message, severity);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = problem.code;
  return diagnostic;
}
