// A 7 MB image to a create body, in plain Node: transportMedia reads it and puts it inline (a data URI), then
// toCreateBody and JSON.stringify make the body WanClient sends. Time, and the process's peak memory growth.
import { randomFillSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { INLINE_LIMIT_BYTES, transportMedia } from '../../src/tasks/mediaTransport';
import { toCreateBody, validateParams } from '../../src/wan/params';

const ROUNDS = 5;

export interface MediaBodyFigures {
  fileBytes: number;
  bodyBytes: number;
  ms: number[];
  /** RSS at its peak (VmHWM) minus RSS before, each round */
  peakGrowth: number[];
  /** a plain fs.readFile + toString('base64') of the same file, the least any inline send costs */
  readBase64Ms: number[];
}

export async function runMediaBody(): Promise<MediaBodyFigures> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-bench-media-'));
  const file = path.join(folder, 'frame.png');
  fs.writeFileSync(file, pngOf(INLINE_LIMIT_BYTES));
  const collect = garbageCollector();
  const media = [{ type: 'first_frame' as const, source: file }];
  const checked = validateParams({ prompt: 'A 7 MB first frame for the benchmark', model: 'wan2.7-i2v' }, media);
  if (!checked.params) throw new Error(`The media benchmark's parameters are refused: ${JSON.stringify(checked.problems)}`);
  const params = checked.params;
  const upload = () => Promise.reject(new Error('A 7 MB image goes inline, not through the upload.'));
  const figures: MediaBodyFigures = { fileBytes: INLINE_LIMIT_BYTES, bodyBytes: 0, ms: [], peakGrowth: [], readBase64Ms: [] };
  try {
    for (let i = 0; i <= ROUNDS; i++) {
      collect();
      const rssBefore = process.memoryUsage.rss();
      resetPeakMemory();
      const started = performance.now();
      const { sent } = await transportMedia({ media, model: params.model, workspaceFolders: [folder], upload, signal: new AbortController().signal });
      const body = JSON.stringify(toCreateBody(params, sent));
      const ms = performance.now() - started;
      const growth = (peakMemory() ?? process.memoryUsage.rss()) - rssBefore;
      figures.bodyBytes = Buffer.byteLength(body);
      collect();
      const readStarted = performance.now();
      (await fs.promises.readFile(file)).toString('base64');
      const readMs = performance.now() - readStarted;
      if (i === 0) continue; // the first round loads code and warms the JIT
      figures.ms.push(ms);
      figures.peakGrowth.push(growth);
      figures.readBase64Ms.push(readMs);
    }
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
  return figures;
}

/** A PNG of `bytes` (RGB, no alpha) whose data is random: readMediaInfo reads only its chunk headers. */
function pngOf(bytes: number): Buffer {
  const png = randomFillSync(Buffer.alloc(bytes));
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png, 0);
  png.writeUInt32BE(13, 8);
  png.write('IHDR', 12, 'latin1');
  png.writeUInt32BE(1920, 16);
  png.writeUInt32BE(1080, 20);
  png.writeUInt8(8, 24); // bit depth
  png.writeUInt8(2, 25); // colour type: RGB
  png.writeUInt8(0, 26);
  png.writeUInt8(0, 27);
  png.writeUInt8(0, 28);
  // (IHDR's CRC at 29) then one IDAT of random bytes up to the closing IEND.
  png.writeUInt32BE(bytes - 33 - 12 - 12, 33);
  png.write('IDAT', 37, 'latin1');
  png.writeUInt32BE(0, bytes - 12);
  png.write('IEND', bytes - 8, 'latin1');
  return png;
}

function garbageCollector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

/** Linux keeps the process's peak resident size (VmHWM); writing 5 to clear_refs starts it again from now. */
export function resetPeakMemory(): void {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux, or not allowed: the figure is then the RSS after the work.
  }
}

export function peakMemory(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
