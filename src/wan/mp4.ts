// Reads just enough of an MP4 file to answer a question about it: whole or cut off, AAC sound or not.
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

/** `short`: the boxes so far are sound but the file ends inside one, or before `moov` or `mdat`. */
export type Mp4Shape = 'whole' | 'short' | 'not-mp4';

/** Tells a whole MP4 file from a cut-off one by walking its top-level boxes: reads only their 8–16-byte headers. */
export async function mp4Shape(file: string): Promise<Mp4Shape> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const header = Buffer.alloc(16);
    const seen = new Set<string>();
    for (let offset = 0; offset < size; ) {
      if (size - offset < 8) return 'short';
      const { bytesRead } = await handle.read(header, 0, header.length, offset);
      const type = header.toString('latin1', 4, 8);
      if (offset === 0 && type !== 'ftyp') return 'not-mp4';
      let boxSize = header.readUInt32BE(0);
      if (boxSize === 1) {
        // The real size follows the type as 64 bits (boxes over 4 GB).
        if (bytesRead < 16) return 'short';
        boxSize = Number(header.readBigUInt64BE(8));
        if (boxSize < 16) return 'not-mp4';
      } else if (boxSize === 0) {
        boxSize = size - offset; // the last box, up to the end of the file
      } else if (boxSize < 8) {
        return 'not-mp4';
      }
      if (offset + boxSize > size) return 'short';
      seen.add(type);
      offset += boxSize;
    }
    return seen.has('moov') && seen.has('mdat') ? 'whole' : 'short';
  } finally {
    await handle.close();
  }
}
