// The soundtrack converter on the 15 s 1080P fixture: five timed runs after a first one (it starts the worker and
// compiles the wasm; V8 compiles it better once it has run), each beside the system ffmpeg doing the same
// (`-c:v copy -c:a flac`, a process of its own); and the process's peak memory growth, the worker's included. Run
// here in plain Node (the sources' converter, the committed wasm), and inside the extension host by the probe
// (test/bench/host/measure.ts, with the installed extension's dist/net.js).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ConversionResult } from '../../src/sound/soundtrack';
import { SoundtrackConverter } from '../../src/sound/soundtrack';
import { peakMemory, resetPeakMemory } from './mediaBody';
import { repoRoot } from './repo';

const ROUNDS = 5;

export interface ConversionRounds {
  /** the first conversion: the worker starts and the wasm is compiled */
  firstMs: number;
  ms: number[];
  ffmpegMs: number[];
  /** RSS at its peak (VmHWM, and sampled) minus RSS before the first conversion */
  peakGrowth: number;
  /** RSS after the last conversion (the idle worker still there) minus RSS before the first */
  afterGrowth: number;
}

export interface SoundtrackFigures extends ConversionRounds {
  clip: string;
  clipBytes: number;
  wasmBytes: number;
}

/** The clip, relative to the repository, that both runs convert. */
export const BENCH_CLIP = path.join('test', 'fixtures', 'sound', '1080p-15s.mp4');

export async function runSoundtrackBench(): Promise<SoundtrackFigures> {
  const root = repoRoot();
  const clip = path.join(root, BENCH_CLIP);
  const glue = path.join(root, 'native', 'soundtrack', 'wasm', 'soundtrack.js');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-bench-sound-'));
  const converter = new SoundtrackConverter({ workerFile: path.join(root, 'out', 'src', 'sound', 'soundtrackWorker.js'), glueFile: glue, allowedFolders: () => [path.dirname(clip), folder] });
  try {
    const rounds = await conversionRounds((input, output) => converter.convert(input, output), clip, folder);
    return { clip: BENCH_CLIP, clipBytes: fs.statSync(clip).size, wasmBytes: fs.statSync(glue.replace(/\.js$/, '.wasm')).size, ...rounds };
  } finally {
    converter.dispose();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/** A first conversion and five timed ones of `clip` into `folder`, each followed by ffmpeg's. */
export async function conversionRounds(convert: (input: string, output: string) => Promise<ConversionResult>, clip: string, folder: string): Promise<ConversionRounds> {
  const figures: ConversionRounds = { firstMs: 0, ms: [], ffmpegMs: [], peakGrowth: 0, afterGrowth: 0 };
  const rssBefore = process.memoryUsage.rss();
  resetPeakMemory();
  let peak = rssBefore;
  // VmHWM misses nothing; the sampler stands in where /proc is not there.
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  try {
    for (let i = 0; i <= ROUNDS; i++) {
      const output = path.join(folder, `copy-${i}.mp4`);
      const started = performance.now();
      const result = await convert(clip, output);
      const ms = performance.now() - started;
      if (result.kind !== 'converted') throw new Error(`The benchmark clip was not converted: ${JSON.stringify(result)}`);
      if (i === 0) figures.firstMs = ms;
      else figures.ms.push(ms);
      const ffmpegStarted = performance.now();
      execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', clip, '-map', '0', '-c:v', 'copy', '-c:a', 'flac', '-strict', '-2', path.join(folder, `ffmpeg-${i}.mp4`)]);
      if (i > 0) figures.ffmpegMs.push(performance.now() - ffmpegStarted);
    }
  } finally {
    clearInterval(sampler);
  }
  figures.peakGrowth = Math.max(peak, peakMemory() ?? 0) - rssBefore;
  figures.afterGrowth = process.memoryUsage.rss() - rssBefore;
  return figures;
}
