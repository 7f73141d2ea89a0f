// Reads just enough of an MP4 file to tell whether its soundtrack is AAC.
import { promises as fs } from 'node:fs';

const WINDOW = 1024 * 1024;
const AAC_SAMPLE_ENTRY = Buffer.from('mp4a');

/** True when the file's sample descriptions (in `moov`, at its start or end) name AAC audio. */
export async function hasAacAudio(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(WINDOW, size));
    await handle.read(head, 0, head.length, 0);
    if (head.includes(AAC_SAMPLE_ENTRY)) return true;
    if (size <= WINDOW) return false;
    const tail = Buffer.alloc(Math.min(WINDOW, size - WINDOW));
    await handle.read(tail, 0, tail.length, size - tail.length);
    return tail.includes(AAC_SAMPLE_ENTRY);
  } finally {
    await handle.close();
  }
}
