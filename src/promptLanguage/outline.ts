// The outline lists the prompts of a file, each with its media; folding closes front matters, prompts and runs of comments.
import * as vscode from 'vscode';
import { parseDocument, promptName, rangeOf } from './promptDocuments';

export class PromptOutline implements vscode.DocumentSymbolProvider, vscode.FoldingRangeProvider {
  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    const file = parseDocument(document);
    return file.prompts.map((entry) => {
      const range = rangeOf(document, entry.start, entry.end);
      const selection = entry.header ? rangeOf(document, entry.header.start, entry.header.end) : rangeOf(document, entry.promptStart, entry.promptEnd);
      const detail = entry.seeds.length > 1 ? vscode.l10n.t('{0} videos · {1}', entry.seeds.length, entry.model) : entry.model;
      const symbol = new vscode.DocumentSymbol(promptName(entry), detail, vscode.SymbolKind.String, range, range.contains(selection) ? selection : range);
      // Media the file's front matter sets sit at the prompt's own line: a child stays inside its parent.
      symbol.children = entry.media.map((media) => {
        const own = media.start >= entry.start && media.end <= entry.end;
        const at = own ? rangeOf(document, media.start, media.end) : symbol.selectionRange;
        return new vscode.DocumentSymbol(media.source, media.type, vscode.SymbolKind.File, at, at);
      });
      return symbol;
    });
  }

  provideFoldingRanges(document: vscode.TextDocument): vscode.FoldingRange[] {
    const file = parseDocument(document);
    const ranges: vscode.FoldingRange[] = [];
    const add = (start: number, end: number, kind?: vscode.FoldingRangeKind) => {
      const first = document.positionAt(start).line;
      const last = document.positionAt(end).line;
      if (last > first) ranges.push(new vscode.FoldingRange(first, last, kind));
    };
    if (file.defaults) add(file.defaults.start, file.defaults.end);
    for (const entry of file.prompts) {
      if (entry.header) add(entry.start, trimmedEnd(document, entry.end), vscode.FoldingRangeKind.Region);
      if (entry.frontMatter) add(entry.frontMatter.start, entry.frontMatter.end);
    }
    // Runs of two or more comment lines.
    let runStart = -1;
    for (let line = 0; line <= document.lineCount; line++) {
      const isComment = line < document.lineCount && /^\s*#(?!##)/.test(document.lineAt(line).text);
      if (isComment && runStart < 0) runStart = line;
      if (!isComment && runStart >= 0) {
        if (line - 1 > runStart) ranges.push(new vscode.FoldingRange(runStart, line - 1, vscode.FoldingRangeKind.Comment));
        runStart = -1;
      }
    }
    return ranges;
  }
}

/** A folded prompt keeps the blank lines before the next ### line visible. */
function trimmedEnd(document: vscode.TextDocument, end: number): number {
  return document.getText().slice(0, end).trimEnd().length;
}
