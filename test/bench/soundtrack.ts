// The soundtrack converter on the 15 s 1080P fixture, in plain Node (its worker thread, the committed wasm, as
// dist/ runs it): five timed runs after a first one (V8 compiles the wasm better once it has run), beside the system
// ffmpeg doing the same (`-c:v copy -c:a flac`); and the process's peak memory growth, the worker's included.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SoundtrackConverter } from '../../src/sound/soundtrack';
import { peakMemory, resetPeakMemory } from './mediaBody';
import { repoRoot } from './repo';

const ROUNDS = 5;

export interface SoundtrackFigures {
  clip: string;
  clipBytes: number;
  wasmBytes: number;
  /** the first conversion: the worker starts and the wasm is compiled */
  firstMs: number;
  ms: number[];
  ffmpegMs: number[];
  /** RSS at its peak (VmHWM) minus RSS before the first conversion */
  peakGrowth: number;
}

export async function runSoundtrackBench(): Promise<SoundtrackFigures> {
  const root = repoRoot();
  const clip = path.join(root, 'test', 'fixtures', 'sound', '1080p-15s.mp4');
  const glue = path.join(root, 'native', 'soundtrack', 'out', 'soundtrack.js');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-bench-sound-'));
  const converter = new SoundtrackConverter({ workerFile: path.join(root, 'out', 'src', 'sound', 'soundtrackWorker.js'), glueFile: glue, allowedFolders: () => [path.dirname(clip), folder] });
  const figures: SoundtrackFigures = { clip: path.relative(root, clip), clipBytes: fs.statSync(clip).size, wasmBytes: fs.statSync(glue.replace(/\.js$/, '.wasm')).size, firstMs: 0, ms: [], ffmpegMs: [], peakGrowth: 0 };
  try {
    const rssBefore = process.memoryUsage.rss();
    resetPeakMemory();
    for (let i = 0; i <= ROUNDS; i++) {
      const output = path.join(folder, `copy-${i}.mp4`);
      const started = performance.now();
      const result = await converter.convert(clip, output);
      const ms = performance.now() - started;
      if (result.kind !== 'converted') throw new Error(`The benchmark clip was not converted: ${JSON.stringify(result)}`);
      if (i === 0) figures.firstMs = ms;
      else figures.ms.push(ms);
      const ffmpegStarted = performance.now();
      execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', clip, '-map', '0', '-c:v', 'copy', '-c:a', 'flac', '-strict', '-2', path.join(folder, `ffmpeg-${i}.mp4`)]);
      if (i > 0) figures.ffmpegMs.push(performance.now() - ffmpegStarted);
    }
    figures.peakGrowth = (peakMemory() ?? process.memoryUsage.rss()) - rssBefore;
  } finally {
    converter.dispose();
    fs.rmSync(folder, { recursive: true, force: true });
  }
  return figures;
}

