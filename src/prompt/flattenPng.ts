// A PNG with transparency, composited over white and written again without it: the quick fix for the service's
// "no alpha channel" rule. Decodes with node:zlib; non-interlaced images of every colour type and bit depth.
import { deflateSync, inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** The same picture as an opaque RGB PNG; undefined for an interlaced or damaged file (the message says how to do it by hand). */
export function flattenPng(png: Buffer): Buffer | undefined {
  if (png.length < 33 || !png.subarray(0, 8).equals(SIGNATURE)) return undefined;
  let header: { width: number; height: number; depth: number; colour: number; interlace: number } | undefined;
  let palette: Buffer = Buffer.alloc(0);
  let transparency: Buffer = Buffer.alloc(0);
  const data: Buffer[] = [];
  for (let at = 8; at + 8 <= png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), depth: body[8], colour: body[9], interlace: body[12] };
    else if (type === 'PLTE') palette = body;
    else if (type === 'tRNS') transparency = body;
    else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  if (!header || header.interlace !== 0 || !(header.colour in CHANNELS)) return undefined;
  const { width, height, depth, colour } = header;
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(data));
  } catch {
    return undefined;
  }
  const bitsPerPixel = CHANNELS[colour] * depth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const step = Math.max(1, bitsPerPixel / 8); // the byte distance the filters look back
  if (raw.length < (stride + 1) * height) return undefined;
  const out = Buffer.alloc((width * 3 + 1) * height);
  let previous: Buffer = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const row = unfilter(raw[y * (stride + 1)], raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), previous, step);
    previous = row;
    for (let x = 0; x < width; x++) {
      const [r, g, b, a] = pixel(row, x, depth, colour, palette, transparency);
      const over = (c: number) => Math.round(c * a + 255 * (1 - a));
      out.set([over(r), over(g), over(b)], y * (width * 3 + 1) + 1 + x * 3);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(out)), chunk('IEND', Buffer.alloc(0))]);
}

function unfilter(filter: number, filtered: Buffer, previous: Buffer, step: number): Buffer {
  const row = Buffer.from(filtered);
  for (let i = 0; i < row.length; i++) {
    const left = i >= step ? row[i - step] : 0;
    const up = previous[i];
    const upLeft = i >= step ? previous[i - step] : 0;
    if (filter === 1) row[i] += left;
    else if (filter === 2) row[i] += up;
    else if (filter === 3) row[i] += (left + up) >> 1;
    else if (filter === 4) row[i] += paeth(left, up, upLeft);
  }
  return row;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Sample `index` of a row as 0–255 (16-bit samples keep their high byte; 1–4-bit grey is scaled up). */
function sample(row: Buffer, index: number, depth: number): number {
  if (depth === 8) return row[index];
  if (depth === 16) return row[index * 2];
  const perByte = 8 / depth;
  return (row[Math.floor(index / perByte)] >> (8 - depth * ((index % perByte) + 1))) & ((1 << depth) - 1);
}

/** RGB 0–255 and alpha 0–1 of pixel `x`. */
function pixel(row: Buffer, x: number, depth: number, colour: number, palette: Buffer, transparency: Buffer): [number, number, number, number] {
  const channels = CHANNELS[colour];
  const at = (c: number) => sample(row, x * channels + c, depth);
  const grey = (value: number) => (depth < 8 ? Math.round((value * 255) / ((1 << depth) - 1)) : value);
  switch (colour) {
    case 3: {
      const index = at(0);
      return [palette[index * 3] ?? 0, palette[index * 3 + 1] ?? 0, palette[index * 3 + 2] ?? 0, (transparency[index] ?? 255) / 255];
    }
    case 0: {
      const key = transparency.length >= 2 ? transparency.readUInt16BE(0) : -1;
      const raw = depth === 16 ? row.readUInt16BE(x * 2) : at(0);
      const value = grey(at(0));
      return [value, value, value, raw === key ? 0 : 1];
    }
    case 2: {
      const opaque = transparency.length < 6 || [0, 1, 2].some((c) => (depth === 16 ? row.readUInt16BE((x * 3 + c) * 2) : at(c)) !== transparency.readUInt16BE(c * 2));
      return [at(0), at(1), at(2), opaque ? 1 : 0];
    }
    case 4:
      return [at(0), at(0), at(0), at(1) / 255];
    default:
      return [at(0), at(1), at(2), at(3) / 255];
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function chunk(type: string, body: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
  let crc = 0xffffffff;
  for (const byte of typed) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const check = Buffer.alloc(4);
  check.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return Buffer.concat([length, typed, check]);
}
