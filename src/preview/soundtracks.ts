// Which file a webview plays for a task. Desktop VS Code's webviews cannot decode AAC, the sound of Wan's videos:
// there (or when wan.preview.soundtrack says "convert") the preview plays a copy whose sound is FLAC, made when the
// download finishes (src/sound/soundtrackCopies.ts keeps the copies; it loads on first use, with the network bundle).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadNet } from '../bundles/loader';
import { Disposable, toDisposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import { errorMessage } from '../common/text';
import type { SoundtrackCopies } from '../sound/soundtrackCopies';
import type { TaskRecord } from '../tasks/taskRecord';
import type { TaskStore } from '../tasks/taskStore';
import { hasAacAudio } from '../wan/mp4';
import { previewSoundtrack, videoFolders } from '../vscode/settings';

/** Global state: which copy each task plays (see CopyIndex). */
const COPIES_KEY = 'wan.soundtrackCopies';

/** A file for the page's <video>, and what the page says about its sound. */
export interface PlayedFile {
  path: string;
  /** The quiet line under the video: a converted copy plays, and why; or the sound is still being converted. */
  note?: string;
  /** The old notice: the sound is AAC and plays silently here (Open in System Player plays it). */
  silentHere: boolean;
}

/** What to play at once, and, while the sound is being converted, what to play once it is ready. */
export interface PlayChoice {
  now: PlayedFile;
  ready?: Promise<PlayedFile>;
}

export class Soundtracks extends Disposable {
  /** Where the copies are: a webview that plays one needs it among its resource roots. */
  readonly folder: string;
  private copiesInstance?: SoundtrackCopies;
  /** Conversions on their way, by task id. */
  private readonly converting = new Map<string, Promise<PlayedFile>>();
  /** Downloads whose sound could not be converted (task id -> the download's time): not tried again until saved anew. */
  private readonly failed = new Map<string, number>();

  constructor(private readonly globalStorage: vscode.Uri, private readonly state: vscode.Memento, private readonly store: TaskStore, private readonly log: Log) {
    super();
    this.folder = path.join(globalStorage.fsPath, 'soundtracks');
    this._register(store.onDidChange(() => {
      // Nothing to load while no copy was ever made.
      if (Object.keys(this.state.get(COPIES_KEY, {})).length > 0) void this.copies.removeCopiesOfRemovedTasks();
    }));
    this._register(toDisposable(() => this.copiesInstance?.dispose()));
  }

  /** A download finished: convert its sound now if the preview will need it, so that the preview opens ready. */
  prepare(record: TaskRecord): void {
    void this.whatToPlay(record);
  }

  /**
   * The one choice of the file a webview plays for a downloaded task (the preview, and any other view that plays the
   * video): the original, or the converted copy where the host cannot decode the original's AAC sound.
   */
  async whatToPlay(record: TaskRecord): Promise<PlayChoice> {
    if (record.download.state !== 'done') throw new Error(`task ${record.taskId} has no video on disk`);
    const original = record.download.path;
    const choice = previewSoundtrack();
    const hostLacksAac = vscode.env.uiKind === vscode.UIKind.Desktop;
    const aac = await hasAacAudio(original).catch(() => false);
    const asItIs: PlayedFile = { path: original, silentHere: aac && hostLacksAac };
    if (!aac || choice === 'original' || (choice === 'auto' && !hostLacksAac)) return { now: asItIs };
    if (this.failed.get(record.taskId) === record.download.at) return { now: asItIs };
    const note = choice === 'convert'
      ? vscode.l10n.t('Plays a copy of the video with its sound converted to FLAC, as the setting wan.preview.soundtrack asks. The file itself is unchanged.')
      : vscode.l10n.t('Plays a copy of the video with its sound converted to FLAC: desktop VS Code cannot decode its AAC sound. The file itself is unchanged.');
    let ready = this.converting.get(record.taskId);
    if (!ready) {
      const existing = await this.copies.existing(record.taskId);
      if (existing) return { now: { path: existing, note, silentHere: false } };
      ready = this.convert(record, note, asItIs).finally(() => this.converting.delete(record.taskId));
      this.converting.set(record.taskId, ready);
    }
    return { now: { path: original, note: vscode.l10n.t('The sound is being converted for this player; it joins in a moment.'), silentHere: false }, ready };
  }

  private async convert(record: TaskRecord, note: string, fallback: PlayedFile): Promise<PlayedFile> {
    const started = Date.now();
    try {
      const result = await this.copies.make(record.taskId, fallback.path);
      if (result.kind === 'no-soundtrack') return { path: fallback.path, silentHere: false };
      if (result.kind === 'cannot-convert') {
        this.log.warn(`task ${record.taskId}: the preview plays the original, without sound here: ${result.reason}`);
        this.remember(record);
        return fallback;
      }
      this.log.info(`task ${record.taskId}: the preview plays ${result.path} (${result.bytes} bytes, sound as FLAC), ready after ${Date.now() - started} ms`);
      return { path: result.path, note, silentHere: false };
    } catch (error) {
      if (!this.isDisposed) this.log.warn(`task ${record.taskId}: the preview plays the original, without sound here: the conversion failed: ${errorMessage(error)}`);
      this.remember(record);
      return fallback;
    }
  }

  private remember(failedRecord: TaskRecord): void {
    if (failedRecord.download.state === 'done') this.failed.set(failedRecord.taskId, failedRecord.download.at);
  }

  /** The copies and their converter load on first use (with the network bundle), never at activation. */
  private get copies(): SoundtrackCopies {
    const net = loadNet();
    const dist = __dirname; // where esbuild puts the worker, the wasm and its glue
    this.copiesInstance ??= new net.SoundtrackCopies({
      folder: this.folder,
      converter: new net.SoundtrackConverter({
        workerFile: path.join(dist, 'soundtrackWorker.js'),
        glueFile: path.join(dist, 'soundtrack.js'),
        // The tasks' output folders and the copies' own, never elsewhere, whatever path a stored record holds.
        allowedFolders: () => [...videoFolders(this.store.all().map((record) => record.source), this.globalStorage), this.folder],
      }),
      index: { read: () => this.state.get(COPIES_KEY, {}), write: async (next) => this.state.update(COPIES_KEY, next) },
      taskExists: (taskId) => this.store.get(taskId) !== undefined,
      log: this.log,
    });
    return this.copiesInstance;
  }
}
