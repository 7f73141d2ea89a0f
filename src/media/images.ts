// Image headers: dimensions and transparency of PNG, JPEG, BMP and WEBP, from the first bytes that hold them.
import { FileBytes, MediaFault } from './fileBytes';
import type { ImageInfo } from './mediaTypes';

export type ImageFacts = Pick<ImageInfo, 'width' | 'height' | 'alpha'>;

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** IHDR, then the chunks before the first IDAT (where a tRNS must be); the file must end with its IEND chunk. */
export async function readPng(bytes: FileBytes): Promise<ImageFacts> {
  const header = await bytes.need(0, 33);
  if (header.toString('latin1', 12, 16) !== 'IHDR') throw new MediaFault('corrupt');
  const colourType = header[25];
  let alpha = colourType === 4 || colourType === 6; // grey + alpha, RGBA
  for (let offset = 33; !alpha; ) {
    const chunk = await bytes.need(offset, 8);
    const type = chunk.toString('latin1', 4, 8);
    if (type === 'IDAT') break;
    alpha = type === 'tRNS';
    offset += 12 + chunk.readUInt32BE(0); // length, type, data, CRC
  }
  // Some tools leave a few bytes after IEND; a file without one near its end was cut off.
  if (!(await bytes.read(Math.max(0, bytes.size - 1024), 1024)).includes('IEND', 0, 'latin1')) throw new MediaFault('cut-off');
  return { width: header.readUInt32BE(16), height: header.readUInt32BE(20), alpha };
}

/** Markers that start a frame (SOF0–SOF15 without DHT, JPG and DAC), whose header holds the dimensions. */
const START_OF_FRAME = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** Walks the segments after SOI (APPn with EXIF, tables…) by their lengths up to the frame header. */
export async function readJpeg(bytes: FileBytes): Promise<ImageFacts> {
  for (let offset = 2; ; ) {
    const segment = await bytes.need(offset, 9);
    if (segment[0] !== 0xff) throw new MediaFault('corrupt');
    const marker = segment[1];
    if (marker === 0xff) {
      offset += 1; // fill byte
    } else if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      offset += 2; // markers without a length
    } else if (START_OF_FRAME.has(marker)) {
      const height = segment.readUInt16BE(5);
      const width = segment.readUInt16BE(7);
      if (width === 0 || height === 0) throw new MediaFault('corrupt');
      return { width, height, alpha: false };
    } else if (marker === 0xd9 || marker === 0xda) {
      throw new MediaFault('corrupt'); // the image ends, or its data starts, before any frame header
    } else {
      offset += 2 + segment.readUInt16BE(2);
    }
  }
}

/** BITMAPCOREHEADER (16-bit sides) or BITMAPINFOHEADER and its successors; a negative height is a top-down image. */
export async function readBmp(bytes: FileBytes): Promise<ImageFacts> {
  const header = await bytes.need(0, 26);
  const pixels = header.readUInt32LE(10);
  const infoSize = header.readUInt32LE(14);
  if (infoSize === 12) {
    const width = header.readUInt16LE(18);
    const height = header.readUInt16LE(20);
    const bits = header.readUInt16LE(24);
    if (bytes.size < pixels + rowBytes(width, bits) * height) throw new MediaFault('cut-off');
    return { width, height, alpha: false };
  }
  if (infoSize < 40) throw new MediaFault('corrupt');
  const info = await bytes.need(14, Math.min(infoSize, 56));
  const width = info.readInt32LE(4);
  const height = Math.abs(info.readInt32LE(8));
  const bits = info.readUInt16LE(14);
  const compression = info.readUInt32LE(16);
  const imageSize = info.readUInt32LE(20);
  if (width <= 0 || height === 0) throw new MediaFault('corrupt');
  // Uncompressed rows are padded to 4 bytes; compressed data says its size.
  if (bytes.size < pixels + (compression === 0 ? rowBytes(width, bits) * height : imageSize)) throw new MediaFault('cut-off');
  // An alpha mask (BITMAPV3INFOHEADER and later) with bit fields marks 32-bit pixels with transparency.
  const alpha = bits === 32 && (compression === 3 || compression === 6) && infoSize >= 56 && info.readUInt32LE(52) !== 0;
  return { width, height, alpha };
}

function rowBytes(width: number, bits: number): number {
  return Math.ceil((width * bits) / 32) * 4;
}

/** The RIFF container's first chunk: VP8 (lossy), VP8L (lossless) or VP8X (extended, with the alpha flag). */
export async function readWebp(bytes: FileBytes): Promise<ImageFacts> {
  const header = await bytes.need(0, 30);
  if (bytes.size < 8 + header.readUInt32LE(4)) throw new MediaFault('cut-off');
  switch (header.toString('latin1', 12, 16)) {
    case 'VP8 ':
      if (header.readUIntBE(23, 3) !== 0x9d012a) throw new MediaFault('corrupt');
      return { width: header.readUInt16LE(26) & 0x3fff, height: header.readUInt16LE(28) & 0x3fff, alpha: false };
    case 'VP8L': {
      if (header[20] !== 0x2f) throw new MediaFault('corrupt');
      const bits = header.readUInt32LE(21); // 14 bits width − 1, 14 bits height − 1, the alpha hint
      return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, alpha: (bits & (1 << 28)) !== 0 };
    }
    case 'VP8X':
      return { width: header.readUIntLE(24, 3) + 1, height: header.readUIntLE(27, 3) + 1, alpha: (header[20] & 0x10) !== 0 };
    default:
      throw new MediaFault('corrupt');
  }
}
