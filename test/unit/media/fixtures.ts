// Small media files built byte by byte, for the header readers: each builder makes what the format's spec says.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function u32be(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}

function u32le(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return buffer;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  return Buffer.concat([u32be(data.length), typed, u32be(crc32(typed))]);
}

/** A real PNG of one colour: 2 = RGB, 6 = RGBA, 4 = grey + alpha, 0 = grey; `transparent` adds a tRNS chunk. */
export function png(width: number, height: number, options: { colourType?: number; transparent?: boolean } = {}): Buffer {
  const colourType = options.colourType ?? 2;
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colourType] ?? 3;
  const ihdr = Buffer.concat([u32be(width), u32be(height), Buffer.from([8, colourType, 0, 0, 0])]);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * channels, 0x80)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('tEXt', Buffer.from('Software\0fixtures', 'latin1')),
    ...(options.transparent ? [pngChunk('tRNS', Buffer.from([0, 0, 0, 0, 0, 0]))] : []),
    pngChunk('IDAT', pixels),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function jpegSegment(marker: number, payload: Buffer): Buffer {
  const header = Buffer.from([0xff, marker, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
}

function startOfFrame(width: number, height: number): Buffer {
  const payload = Buffer.from([8, 0, 0, 0, 0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  payload.writeUInt16BE(height, 1);
  payload.writeUInt16BE(width, 3);
  return jpegSegment(0xc0, payload);
}

/** SOI, JFIF, an EXIF APP1 whose thumbnail is a JPEG of its own (160×120), tables, SOF0, scan, EOI. */
export function jpeg(width: number, height: number): Buffer {
  const thumbnail = Buffer.concat([Buffer.from([0xff, 0xd8]), startOfFrame(160, 120), Buffer.from([0xff, 0xd9])]);
  const exif = Buffer.concat([Buffer.from('Exif\0\0MM\0\x2a\0\0\0\x08', 'latin1'), Buffer.alloc(300), thumbnail]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    jpegSegment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    jpegSegment(0xe1, exif),
    jpegSegment(0xdb, Buffer.alloc(65)),
    Buffer.from([0xff, 0xff]), // a fill byte before a marker
    startOfFrame(width, height),
    jpegSegment(0xc4, Buffer.alloc(30)),
    jpegSegment(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])),
    Buffer.alloc(200, 0x55),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** A 24-bit BITMAPINFOHEADER bitmap; a negative height stores the rows top-down. */
export function bmp(width: number, height: number): Buffer {
  const stride = Math.ceil((width * 24) / 32) * 4;
  const pixels = Buffer.alloc(stride * Math.abs(height));
  const info = Buffer.alloc(40);
  info.writeUInt32LE(40, 0);
  info.writeInt32LE(width, 4);
  info.writeInt32LE(height, 8);
  info.writeUInt16LE(1, 12);
  info.writeUInt16LE(24, 14);
  const file = Buffer.concat([Buffer.from('BM'), u32le(14 + 40 + pixels.length), u32le(0), u32le(54)]);
  return Buffer.concat([file, info, pixels]);
}

function riff(form: string, chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from(form, 'latin1'), ...chunks]);
  return Buffer.concat([Buffer.from('RIFF'), u32le(body.length), body]);
}

function riffChunk(type: string, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(type, 'latin1'), u32le(data.length), data, Buffer.alloc(data.length & 1)]);
}

function u24le(value: number): Buffer {
  return u32le(value).subarray(0, 3);
}

/** VP8X (extended) with the alpha flag and an ALPH chunk, then a lossy VP8 frame. */
export function webpWithAlpha(width: number, height: number): Buffer {
  const vp8x = Buffer.concat([Buffer.from([0x10, 0, 0, 0]), u24le(width - 1), u24le(height - 1)]);
  return riff('WEBP', [riffChunk('VP8X', vp8x), riffChunk('ALPH', Buffer.alloc(20)), vp8Chunk(width, height)]);
}

function vp8Chunk(width: number, height: number): Buffer {
  const frame = Buffer.alloc(30);
  frame.writeUIntBE(0x9d012a, 3, 3);
  frame.writeUInt16LE(width, 6);
  frame.writeUInt16LE(height, 8);
  return riffChunk('VP8 ', frame);
}

export function webpLossy(width: number, height: number): Buffer {
  return riff('WEBP', [vp8Chunk(width, height)]);
}

/** VP8L: the signature, then 14 bits of width − 1, 14 of height − 1 and the alpha bit. */
export function webpLossless(width: number, height: number, alpha: boolean): Buffer {
  const bits = (width - 1) | ((height - 1) << 14) | (alpha ? 1 << 28 : 0);
  return riff('WEBP', [riffChunk('VP8L', Buffer.concat([Buffer.from([0x2f]), u32le(bits), Buffer.alloc(10)]))]);
}

/** 16-bit PCM: `seconds` of silence, with a LIST chunk of odd size (so padded) before the data. */
export function wav(seconds: number, sampleRate = 8000, channels = 1): Buffer {
  const format = Buffer.alloc(16);
  format.writeUInt16LE(1, 0);
  format.writeUInt16LE(channels, 2);
  format.writeUInt32LE(sampleRate, 4);
  format.writeUInt32LE(sampleRate * channels * 2, 8);
  format.writeUInt16LE(channels * 2, 12);
  format.writeUInt16LE(16, 14);
  return riff('WAVE', [riffChunk('fmt ', format), riffChunk('LIST', Buffer.from('INFOx', 'latin1')), riffChunk('data', Buffer.alloc(seconds * sampleRate * channels * 2))]);
}

/** An MPEG-1 Layer III frame at 44.1 kHz, stereo: the header, then zeros to its length (144 × bitrate / rate). */
export function mp3Frame(kbps: number, fill: (frame: Buffer) => void = () => undefined): Buffer {
  const index = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320].indexOf(kbps);
  const frame = Buffer.alloc(Math.floor((144 * kbps * 1000) / 44100));
  frame.writeUInt32BE(((0xfffb << 16) | (index << 12)) >>> 0); // sync, MPEG-1, Layer III, no CRC; 44.1 kHz, no padding
  fill(frame);
  return frame;
}

/** An ID3v2.4 tag of `size` bytes of frames (the size written in 7-bit bytes). */
export function id3v2(size: number): Buffer {
  const header = Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, (size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f]);
  return Buffer.concat([header, Buffer.alloc(size)]);
}

/** A Xing (or Info) frame that counts `frames` frames of `bytes` bytes, the frame itself included. */
export function xingFrame(tag: 'Xing' | 'Info', frames: number, bytes: number): Buffer {
  return mp3Frame(128, (frame) => {
    frame.write(tag, 36, 'latin1'); // after the header and 32 bytes of stereo side information
    frame.writeUInt32BE(3, 40); // frames and bytes present
    frame.writeUInt32BE(frames, 44);
    frame.writeUInt32BE(bytes, 48);
  });
}

export function vbriFrame(frames: number, bytes: number): Buffer {
  return mp3Frame(128, (frame) => {
    frame.write('VBRI', 36, 'latin1');
    frame.writeUInt16BE(1, 40);
    frame.writeUInt32BE(bytes, 46);
    frame.writeUInt32BE(frames, 50);
  });
}

export function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  return Buffer.concat([u32be(8 + body.length), Buffer.from(type, 'latin1'), body]);
}

function fullBox(type: string, version: number, ...payload: Buffer[]): Buffer {
  return box(type, Buffer.from([version, 0, 0, 0]), ...payload);
}

const IDENTITY = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];
const TURNED = [0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000]; // 90° clockwise, as phones record portrait

function matrix(values: number[]): Buffer {
  const buffer = Buffer.alloc(36);
  values.forEach((value, index) => buffer.writeInt32BE(value, index * 4));
  return buffer;
}

interface ClipOptions {
  timescale: number;
  duration: number;
  width: number;
  height: number;
  /** The sound track's sample entry; none: a silent clip. */
  audio?: string;
  /** tkhd without a size: the reader must take the sample entry's. */
  sizeInSampleEntryOnly?: boolean;
  turned?: boolean;
  /** Version 1 mvhd and tkhd, with 64-bit times. */
  version1?: boolean;
}

function track(handler: string, entry: Buffer, tkhdSize: Buffer, options: ClipOptions): Buffer {
  const times = options.version1 ? Buffer.alloc(16) : Buffer.alloc(8);
  const duration = options.version1 ? Buffer.alloc(8) : Buffer.alloc(4);
  const tkhd = fullBox('tkhd', options.version1 ? 1 : 0, times, u32be(1), Buffer.alloc(4), duration, Buffer.alloc(16), matrix(options.turned ? TURNED : IDENTITY), tkhdSize);
  const hdlr = fullBox('hdlr', 0, Buffer.alloc(4), Buffer.from(handler, 'latin1'), Buffer.alloc(12), Buffer.from('\0'));
  const stbl = box('stbl', fullBox('stsd', 0, u32be(1), entry), fullBox('stts', 0, u32be(0)), fullBox('stsz', 0, Buffer.alloc(8)));
  const mdhd = fullBox('mdhd', 0, Buffer.alloc(8), u32be(options.timescale), u32be(options.duration), Buffer.alloc(4));
  return box('trak', tkhd, box('mdia', mdhd, hdlr, box('minf', box('dinf', Buffer.alloc(8)), stbl)));
}

function visualEntry(codec: string, width: number, height: number): Buffer {
  const fields = Buffer.alloc(78);
  fields.writeUInt16BE(1, 6); // data reference index
  fields.writeUInt16BE(width, 24);
  fields.writeUInt16BE(height, 26);
  return box(codec, fields, box('avcC', Buffer.alloc(10)));
}

/** ftyp, moov (mvhd, a video trak, maybe a sound trak), mdat; a `qt  ` brand and moov after mdat make a camera's MOV. */
export function clip(options: ClipOptions & { brand?: string; moovLast?: boolean; mdat?: Buffer }): Buffer {
  const times = options.version1 ? Buffer.alloc(16) : Buffer.alloc(8);
  const duration = options.version1 ? Buffer.alloc(8) : Buffer.alloc(4);
  duration.writeUIntBE(options.duration, duration.length - 4, 4);
  const mvhd = fullBox('mvhd', options.version1 ? 1 : 0, times, u32be(options.timescale), duration, Buffer.alloc(80));
  const size = options.sizeInSampleEntryOnly ? Buffer.alloc(8) : Buffer.concat([u32be(options.width * 0x10000), u32be(options.height * 0x10000)]);
  const video = track('vide', visualEntry('avc1', options.width, options.height), size, options);
  const sound = options.audio ? [track('soun', box(options.audio, Buffer.alloc(28)), Buffer.alloc(8), options)] : [];
  const moov = box('moov', mvhd, video, ...sound);
  const ftyp = box('ftyp', Buffer.from(options.brand ?? 'isom', 'latin1'), u32be(512), Buffer.from('isomiso2avc1mp41', 'latin1'));
  const mdat = box('mdat', options.mdat ?? Buffer.alloc(4000, 7));
  return Buffer.concat(options.moovLast ? [ftyp, mdat, moov] : [ftyp, moov, mdat]);
}
