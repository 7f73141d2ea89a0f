// Reads just enough of an MP4 file to answer a question about it: whole or cut off, AAC sound or not.
import { boxesIn } from '../media/boxes';
import { FileBytes, MediaFault } from '../media/fileBytes';

const WINDOW = 1024 * 1024;
const AAC_SAMPLE_ENTRY = Buffer.from('mp4a');

/** True when the file's sample descriptions (in `moov`, at its start or end) name AAC audio. */
export async function hasAacAudio(file: string): Promise<boolean> {
  return FileBytes.use(file, async (bytes) => {
    if ((await bytes.read(0, WINDOW)).includes(AAC_SAMPLE_ENTRY)) return true;
    return bytes.size > WINDOW && (await bytes.read(Math.max(WINDOW, bytes.size - WINDOW), WINDOW)).includes(AAC_SAMPLE_ENTRY);
  });
}

/** `short`: the boxes so far are sound but the file ends inside one, or before `moov` or `mdat`. */
export type Mp4Shape = 'whole' | 'short' | 'not-mp4';

/** Tells a whole MP4 file from a cut-off one by walking its top-level boxes: reads only their 8–16-byte headers. */
export async function mp4Shape(file: string): Promise<Mp4Shape> {
  return FileBytes.use(file, async (bytes) => {
    const first = await bytes.read(0, 8);
    if (first.length === 8 && first.toString('latin1', 4, 8) !== 'ftyp') return 'not-mp4';
    const seen = new Set<string>();
    try {
      for await (const box of boxesIn(bytes, 0, bytes.size)) seen.add(box.type);
    } catch (error) {
      if (error instanceof MediaFault) return error.code === 'cut-off' ? 'short' : 'not-mp4';
      throw error;
    }
    return seen.has('moov') && seen.has('mdat') ? 'whole' : 'short';
  });
}
