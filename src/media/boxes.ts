// The box tree of MP4 and QuickTime files (ISO/IEC 14496-12): each box is a size, a four-letter type and its payload.
import { FileBytes, MediaFault } from './fileBytes';

export interface Box {
  type: string;
  /** Where its payload starts. */
  body: number;
  /** Where the box ends (the next one starts). */
  end: number;
}

/**
 * The boxes from `start` to `end`, reading only their 8–16-byte headers. Throws a cut-off fault where a header or a box
 * runs past `end`, a corrupt one where a box is smaller than its header.
 */
export async function* boxesIn(bytes: FileBytes, start: number, end: number): AsyncGenerator<Box> {
  for (let offset = start; offset < end; ) {
    if (end - offset < 8) throw new MediaFault('cut-off');
    const header = await bytes.read(offset, 16);
    const type = header.toString('latin1', 4, 8);
    let size = header.readUInt32BE(0);
    let headerSize = 8;
    if (size === 1) {
      // The real size follows the type as 64 bits (boxes over 4 GB).
      if (header.length < 16) throw new MediaFault('cut-off');
      size = Number(header.readBigUInt64BE(8));
      headerSize = 16;
    } else if (size === 0) {
      size = end - offset; // the last box, up to the end of its parent
    }
    if (size < headerSize) throw new MediaFault('corrupt');
    if (offset + size > end) throw new MediaFault('cut-off');
    yield { type, body: offset + headerSize, end: offset + size };
    offset += size;
  }
}

