// Runs in a worker_threads worker: loads the soundtrack WebAssembly (native/soundtrack/) once and converts one file at
// a time. The wasm sees only two folders, mounted for each conversion: the video's own and the copy's.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { ConvertRequest, ConvertReply } from './soundtrackProtocol';

interface SoundtrackModule {
  FS: {
    mkdir(path: string): void;
    mount(type: unknown, options: { root: string }, mountpoint: string): void;
    unmount(mountpoint: string): void;
    rmdir(path: string): void;
  };
  NODEFS: unknown;
  ccall(name: string, returns: 'number' | 'string', types: string[], args: unknown[]): number | string;
}

type CreateSoundtrack = (options: { wasmBinary: Buffer }) => Promise<SoundtrackModule>;

const glue = (workerData as { glue: string }).glue;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- emscripten's glue is a CommonJS file beside the wasm, found at run time
const createSoundtrack = require(glue) as CreateSoundtrack;
// Given the bytes: emscripten 3.1.6 would try to fetch() a path under Node 18+.
const ready = createSoundtrack({ wasmBinary: readFileSync(glue.replace(/\.js$/, '.wasm')) });

function convert(module: SoundtrackModule, request: ConvertRequest): ConvertReply {
  const mounts: [string, string][] = [['/input', path.dirname(request.input)], ['/output', path.dirname(request.output)]];
  for (const [mountpoint, root] of mounts) {
    module.FS.mkdir(mountpoint);
    module.FS.mount(module.NODEFS, { root }, mountpoint);
  }
  try {
    const code = module.ccall('soundtrack_convert', 'number', ['string', 'string'],
      [`/input/${path.basename(request.input)}`, `/output/${path.basename(request.output)}`]) as number;
    return { id: request.id, code, message: module.ccall('soundtrack_message', 'string', [], []) as string };
  } finally {
    for (const [mountpoint] of mounts) {
      module.FS.unmount(mountpoint);
      module.FS.rmdir(mountpoint);
    }
  }
}

parentPort?.on('message', (request: ConvertRequest) => {
  ready.then((module) => convert(module, request)).then(
    (reply) => parentPort?.postMessage(reply),
    (error: unknown) => parentPort?.postMessage({ id: request.id, code: -1, message: error instanceof Error ? error.message : String(error) } satisfies ConvertReply),
  );
});
