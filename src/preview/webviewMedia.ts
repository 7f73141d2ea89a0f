// What every webview of a task's video shares (the preview and the comparison grid): the file it plays, the folders it
// may load from, and the page's Content Security Policy. One place, so a change to which file plays reaches both.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TaskRecord } from '../tasks/taskRecord';
import { hasAacAudio } from '../wan/mp4';

/** The Compare Takes grid's webview type, which its serializer and the activation event name. */
export const COMPARE_VIEW_TYPE = 'wan.compareTakes';

/** The file a webview plays for a task's video; undefined while the task has none on disk. */
export async function playableVideo(record: TaskRecord): Promise<string | undefined> {
  return record.download.state === 'done' ? record.download.path : undefined;
}

/** The video as a webview address; `?v=` changes when the file is saved again, so no stale copy is shown. */
export async function videoSource(webview: Pick<vscode.Webview, 'asWebviewUri'>, record: TaskRecord): Promise<string | undefined> {
  const file = await playableVideo(record);
  if (!file || record.download.state !== 'done') return undefined;
  return `${webview.asWebviewUri(vscode.Uri.file(file))}?v=${record.download.at}`;
}

/** Whether the soundtrack will play silently here: desktop VS Code's webviews cannot decode AAC. */
export async function playsSilentHere(record: TaskRecord): Promise<boolean> {
  const file = await playableVideo(record);
  if (!file || vscode.env.uiKind !== vscode.UIKind.Desktop) return false;
  return hasAacAudio(file).catch(() => false);
}

/** Scripts for the page's own controls; files only from media/ and the folders of the videos it plays. */
export function webviewOptions(media: vscode.Uri, videoPaths: readonly string[]): vscode.WebviewOptions {
  const folders = [...new Set(videoPaths.map((file) => path.dirname(file)))];
  return { enableScripts: true, localResourceRoots: [media, ...folders.map((folder) => vscode.Uri.file(folder))] };
}

/** The folders `webviewOptions` needs for these tasks' videos. */
export async function playablePaths(records: readonly TaskRecord[]): Promise<string[]> {
  const files = await Promise.all(records.map(playableVideo));
  return files.filter((file): file is string => file !== undefined);
}

/** Nothing inline but the page's own script (by its nonce); media and styles only from the webview's own files. */
export function contentSecurityPolicy(webview: Pick<vscode.Webview, 'cspSource'>, nonce: string): string {
  return `default-src 'none'; media-src ${webview.cspSource}; img-src ${webview.cspSource} data:; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
