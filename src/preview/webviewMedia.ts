// What every webview of a task's video shares (the preview and the comparison grid): the video's address, the folders
// it may load from, and the page's Content Security Policy. Which file plays is Soundtracks.whatToPlay's one choice.
import * as vscode from 'vscode';
import type { TaskRecord } from '../tasks/taskRecord';

/** The Compare Takes grid's webview type, which its serializer and the activation event name. */
export const COMPARE_VIEW_TYPE = 'wan.compareTakes';

/** A file as a webview address; `?v=` changes when the video is saved again, so no stale copy is shown. */
export function videoAddress(webview: Pick<vscode.Webview, 'asWebviewUri'>, file: string, record: TaskRecord): string {
  const downloadedAt = record.download.state === 'done' ? record.download.at : 0;
  return `${webview.asWebviewUri(vscode.Uri.file(file))}?v=${downloadedAt}`;
}

/** Scripts for the page's own controls; files only from media/ and these folders (of the videos it plays). */
export function webviewOptions(media: vscode.Uri, folders: readonly string[]): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [media, ...[...new Set(folders)].map((folder) => vscode.Uri.file(folder))] };
}

/** Nothing inline but the page's own script (by its nonce); media and styles only from the webview's own files. */
function contentSecurityPolicy(webview: Pick<vscode.Webview, 'cspSource'>, nonce: string): string {
  return `default-src 'none'; media-src ${webview.cspSource}; img-src ${webview.cspSource} data:; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** A video page's document up to its <body>: the language, the CSP by the script's nonce, its stylesheet and title. */
export function pageHead(webview: Pick<vscode.Webview, 'cspSource' | 'asWebviewUri'>, media: vscode.Uri, nonce: string, stylesheet: string, title: string): string {
  return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${webview.asWebviewUri(vscode.Uri.joinPath(media, stylesheet))}">
<title>${escapeHtml(title)}</title>
</head>`;
}
