// Converts a video's AAC soundtrack to FLAC in a copy, for hosts without an AAC decoder (desktop VS Code's webviews):
// the video packets are copied as they are. The work runs in a worker thread (soundtrackWorker.ts), started on first
// use and stopped when idle, so the extension host's main thread stays free.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { isInside } from '../common/files';
import { Disposable, toDisposable } from '../common/lifecycle';
import { CONVERTED, NO_SOUNDTRACK, NOT_AAC, type ConvertReply, type ConvertRequest } from './soundtrackProtocol';

export type ConversionResult =
  | { kind: 'converted'; path: string; bytes: number }
  | { kind: 'no-soundtrack' }
  /** `reason` is for the log, which stays in English. */
  | { kind: 'cannot-convert'; reason: string };

export interface SoundtrackConverterOptions {
  /** The worker's script (dist/soundtrackWorker.js in the extension). */
  workerFile: string;
  /** emscripten's glue, with the .wasm beside it (dist/soundtrack.js in the extension). */
  glueFile: string;
  /**
   * The only folders a conversion may read from and write to (the videos' output folders and the copies' folder),
   * read at each conversion: a path outside them, after `..` and symbolic links are resolved, is refused.
   */
  allowedFolders(): readonly string[];
  /** How long an idle worker stays, keeping the compiled wasm for the next video. */
  idleMs?: number;
}

const IDLE_MS = 30_000;

interface Job {
  request: ConvertRequest;
  resolve(reply: ConvertReply): void;
  reject(error: unknown): void;
}

export class SoundtrackConverter extends Disposable {
  private worker?: Worker;
  private idle?: NodeJS.Timeout;
  private nextId = 1;
  private readonly queue: Job[] = [];
  private running?: Job;

  constructor(private readonly options: SoundtrackConverterOptions) {
    super();
    this._register(toDisposable(() => {
      const closed = new Error('the soundtrack converter was closed');
      for (const job of [...(this.running ? [this.running] : []), ...this.queue.splice(0)]) job.reject(closed);
      this.stopWorker();
    }));
  }

  /**
   * Writes `output` (through `<output>.part`, renamed when complete): `input`'s video as it is and its sound as FLAC.
   * An abort stops the conversion and leaves no file; the promise then rejects with the signal's reason.
   */
  async convert(input: string, output: string, signal?: AbortSignal): Promise<ConversionResult> {
    signal?.throwIfAborted();
    const allowed = (await Promise.all(this.options.allowedFolders().map((folder) => fs.realpath(folder).catch(() => undefined))))
      .filter((folder) => folder !== undefined);
    const inside = (file: string) => allowed.some((folder) => isInside(file, folder));
    const outsideReason = (what: string) => `${what} is outside the folders the converter may read and write (${this.options.allowedFolders().join(', ')})`;
    const realInput = await fs.realpath(input).catch(() => inRealFolder(input));
    if (!inside(realInput)) return { kind: 'cannot-convert', reason: outsideReason(`the video ${input}`) };
    const realOutput = await inRealFolder(output);
    if (!inside(realOutput)) return { kind: 'cannot-convert', reason: outsideReason(`the copy ${output}`) };
    const partial = `${realOutput}.part`;
    // The wasm opens the partial file by name and would write through a symbolic link left there.
    await fs.rm(partial, { force: true });
    try {
      const reply = await this.run({ id: this.nextId++, input: realInput, output: partial }, signal);
      if (reply.code === CONVERTED) {
        await fs.rename(partial, realOutput);
        return { kind: 'converted', path: output, bytes: (await fs.stat(output)).size };
      }
      if (reply.code === NO_SOUNDTRACK) return { kind: 'no-soundtrack' };
      if (reply.code === NOT_AAC) return { kind: 'cannot-convert', reason: reply.message };
      return { kind: 'cannot-convert', reason: `its sound could not be converted (${reply.message})` };
    } finally {
      await fs.rm(partial, { force: true });
    }
  }

  private run(request: ConvertRequest, signal?: AbortSignal): Promise<ConvertReply> {
    return new Promise<ConvertReply>((resolve, reject) => {
      const onAbort = () => {
        if (this.running === job) this.stopWorker(); // the wasm cannot be interrupted: the next video starts a new worker
        else this.queue.splice(this.queue.indexOf(job), 1);
        job.reject(signal?.reason);
        this.startNext();
      };
      const job: Job = {
        request,
        resolve: (reply) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(reply);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      this.startNext();
    });
  }

  private startNext(): void {
    if (this.running || this.queue.length === 0 || this.isDisposed) return;
    clearTimeout(this.idle);
    const job = this.queue.shift()!;
    this.running = job;
    this.workerInstance().postMessage(job.request);
  }

  private workerInstance(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.options.workerFile, { workerData: { glue: this.options.glueFile } });
    worker.unref(); // a conversion never keeps the process alive
    worker.on('message', (reply: ConvertReply) => {
      if (reply.id === this.running?.request.id) this.finish((job) => job.resolve(reply));
    });
    worker.on('error', (error) => {
      this.worker = undefined;
      this.finish((job) => job.reject(error));
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.finish((job) => job.reject(new Error(`the soundtrack converter stopped (exit code ${code})`)));
    });
    this.worker = worker;
    return worker;
  }

  private finish(settle: (job: Job) => void): void {
    const job = this.running;
    this.running = undefined;
    if (job) settle(job);
    this.startNext();
    if (!this.running) this.idle = setTimeout(() => this.stopWorker(), this.options.idleMs ?? IDLE_MS).unref();
  }

  /** Ends the worker (the conversion it runs, if any, is the caller's to settle). */
  private stopWorker(): void {
    clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = undefined;
    this.running = undefined;
    void worker?.terminate();
  }
}

/** `file` in its folder's real path (`..` and links to folders resolved; the file itself may not be there yet). */
async function inRealFolder(file: string): Promise<string> {
  const folder = path.dirname(path.resolve(file));
  return path.join(await fs.realpath(folder).catch(() => folder), path.basename(file));
}
