// The converted copies the preview plays where the host cannot decode AAC: one per video content (its SHA-256) in a
// folder of the extension's storage, made once, removed with the last task that plays it, and at most `maxBytes`
// together: the copies played longest ago go first (each use marks a copy as just played).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Disposable } from '../common/lifecycle';
import { silentLog, type Log } from '../common/log';
import { errorMessage } from '../common/text';
import { hashFile } from '../tasks/mediaTransport';
import type { ConversionResult, SoundtrackConverter } from './soundtrack';

/** The copies together, at most, by default (a 15 s 1080P clip is 10–30 MB). */
export const CACHE_BYTES = 256 * 1024 * 1024;

/** Which copy each task plays (task id -> SHA-256 of its video), kept where every window sees it. */
export interface CopyIndex {
  read(): Readonly<Record<string, string>>;
  write(next: Record<string, string>): Promise<void>;
}

export interface SoundtrackCopiesOptions {
  folder: string;
  converter: SoundtrackConverter;
  index: CopyIndex;
  /** False once a task is removed: its copy goes, unless another task plays the same video. */
  taskExists(taskId: string): boolean;
  maxBytes?: number;
  log?: Log;
}

export class SoundtrackCopies extends Disposable {
  private readonly log: Log;
  /** Copies being made, by content hash: two tasks of one video (or two asks for one task) wait for the same one. */
  private readonly making = new Map<string, Promise<ConversionResult>>();

  constructor(private readonly options: SoundtrackCopiesOptions) {
    super();
    this.log = options.log ?? silentLog;
    this._register(options.converter);
  }

  /** The task's copy if it was made before and is still there (marked as just played), else undefined. */
  async existing(taskId: string): Promise<string | undefined> {
    const sha256 = this.options.index.read()[taskId];
    if (!sha256) return undefined;
    const copy = this.copyPath(sha256);
    return (await touch(copy)) ? copy : undefined;
  }

  /** The copy of `video` for a task: the one of the same content if there is one (or is being made), else made now. */
  async make(taskId: string, video: string): Promise<ConversionResult> {
    const { sha256 } = await hashFile(video);
    let making = this.making.get(sha256);
    if (!making) {
      making = this.convertOnce(video, this.copyPath(sha256)).finally(() => this.making.delete(sha256));
      this.making.set(sha256, making);
    }
    const result = await making;
    if (result.kind !== 'converted') return result;
    const index = this.options.index.read();
    if (!this.options.taskExists(taskId)) {
      await this.removeUnplayed([sha256], index);
      return { kind: 'cannot-convert', reason: 'its task was removed while the sound was converted' };
    }
    await this.options.index.write({ ...index, [taskId]: sha256 });
    await this.keepWithinBound(result.path);
    return { kind: 'converted', path: result.path, bytes: (await fs.stat(result.path)).size };
  }

  private async convertOnce(video: string, copy: string): Promise<ConversionResult> {
    if (await touch(copy)) return { kind: 'converted', path: copy, bytes: 0 };
    await fs.mkdir(this.options.folder, { recursive: true });
    return this.options.converter.convert(video, copy);
  }

  /** Forgets removed tasks and removes the copies no other task plays. */
  async removeCopiesOfRemovedTasks(): Promise<void> {
    const index = this.options.index.read();
    const gone = Object.keys(index).filter((taskId) => !this.options.taskExists(taskId));
    if (gone.length === 0) return;
    const kept = Object.fromEntries(Object.entries(index).filter(([taskId]) => !gone.includes(taskId)));
    await this.options.index.write(kept);
    await this.removeUnplayed(gone.map((taskId) => index[taskId]), kept);
  }

  private copyPath(sha256: string): string {
    return path.join(this.options.folder, `${sha256}.mp4`);
  }

  /** Removes the copies played longest ago until the rest fit; `keep` (just made or played) stays whatever its size. */
  private async keepWithinBound(keep: string): Promise<void> {
    const maxBytes = this.options.maxBytes ?? CACHE_BYTES;
    const files = (await fs.readdir(this.options.folder)).filter((name) => name.endsWith('.mp4')).map((name) => path.join(this.options.folder, name));
    const copies = (await Promise.all(files.map(async (file) => ({ file, stat: await fs.stat(file).catch(() => undefined) }))))
      .filter((copy) => copy.stat !== undefined)
      .sort((a, b) => (a.file === keep ? -1 : b.file === keep ? 1 : b.stat!.mtimeMs - a.stat!.mtimeMs));
    let total = 0;
    for (const { file, stat } of copies) {
      total += stat!.size;
      if (total <= maxBytes || file === keep) continue;
      await fs.rm(file, { force: true });
      this.log.info(`removed the converted copy ${path.basename(file)}, played longest ago: the copies are over ${Math.round(maxBytes / 1024 / 1024)} MB`);
    }
  }

  private async removeUnplayed(hashes: readonly string[], index: Readonly<Record<string, string>>): Promise<void> {
    const played = new Set(Object.values(index));
    for (const sha256 of new Set(hashes)) {
      if (played.has(sha256)) continue;
      await fs.rm(this.copyPath(sha256), { force: true }).catch((error) => this.log.warn(`the converted copy ${sha256}.mp4 was not removed: ${errorMessage(error)}`));
    }
  }
}

/** Marks a file as just used; false when it is not there. */
async function touch(file: string): Promise<boolean> {
  const now = new Date();
  return fs.utimes(file, now, now).then(() => true, () => false);
}

