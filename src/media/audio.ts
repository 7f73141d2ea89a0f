// Sound headers: WAV's fmt and data chunks, MP3's first frame (and its Xing, Info or VBRI summary) → duration.
import { FileBytes, MediaFault } from './fileBytes';
import type { AudioInfo } from './mediaTypes';

export type AudioFacts = Pick<AudioInfo, 'seconds' | 'sampleRate' | 'channels' | 'bitrate'>;

/** RIFF chunks after `WAVE`, each padded to an even size, up to `data`. */
export async function readWav(bytes: FileBytes): Promise<AudioFacts> {
  let format: Buffer | undefined;
  for (let offset = 12; ; ) {
    const chunk = await bytes.need(offset, 8);
    const size = chunk.readUInt32LE(4);
    switch (chunk.toString('latin1', 0, 4)) {
      case 'fmt ':
        format = await bytes.need(offset + 8, 16);
        break;
      case 'data': {
        const byteRate = format?.readUInt32LE(8);
        if (!format || !byteRate) throw new MediaFault('corrupt');
        // Writers that stream leave the size unknown (0 or 0xFFFFFFFF): the data runs to the end.
        const available = bytes.size - offset - 8;
        const data = size === 0 || size === 0xffffffff ? available : size;
        if (data > available) throw new MediaFault('cut-off');
        return { seconds: data / byteRate, sampleRate: format.readUInt32LE(4), channels: format.readUInt16LE(2), bitrate: byteRate * 8 };
      }
    }
    offset += 8 + size + (size & 1);
  }
}

/** kbit/s by the header's bitrate index: MPEG-1 Layer III, and MPEG-2/2.5 Layer III. */
const BITRATES = {
  mpeg1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  mpeg2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
/** MPEG-1's; MPEG-2 halves them, MPEG-2.5 quarters them. */
const SAMPLE_RATES = [44100, 48000, 32000];

interface Frame {
  mpeg1: boolean;
  mono: boolean;
  sampleRate: number;
  /** Bits per second. */
  bitrate: number;
  /** Samples per channel in the frame. */
  samples: number;
  /** In bytes, header included. */
  length: number;
}

/** The MPEG audio Layer III frame whose 4-byte header is at `at` in `buffer`, if there is one there. */
export function layer3Frame(buffer: Buffer, at: number): Frame | undefined {
  if (buffer.length < at + 4) return undefined;
  const header = buffer.readUInt32BE(at);
  const version = (header >>> 19) & 3; // 0: MPEG-2.5, 1: reserved, 2: MPEG-2, 3: MPEG-1
  const bitrateIndex = (header >>> 12) & 15;
  const rateIndex = (header >>> 10) & 3;
  // 11 sync bits, then Layer III (01); bitrate 0 is "free format", 15 and sample rate 3 are invalid.
  if (header >>> 21 !== 0x7ff || version === 1 || ((header >>> 17) & 3) !== 1 || bitrateIndex % 15 === 0 || rateIndex === 3) return undefined;
  const mpeg1 = version === 3;
  const sampleRate = SAMPLE_RATES[rateIndex] / (mpeg1 ? 1 : version === 2 ? 2 : 4);
  const bitrate = BITRATES[mpeg1 ? 'mpeg1' : 'mpeg2'][bitrateIndex] * 1000;
  const samples = mpeg1 ? 1152 : 576;
  const padding = (header >>> 9) & 1;
  return { mpeg1, mono: ((header >>> 6) & 3) === 3, sampleRate, bitrate, samples, length: Math.floor((samples / 8) * bitrate / sampleRate) + padding };
}

const SEARCH_WINDOW = 64 * 1024;

/**
 * After an ID3v2 tag, the first frame (one that another frame follows). Its Xing/Info or VBRI summary gives the
 * frame count, so the duration of a variable-bitrate file; without one the file is taken as constant bitrate.
 */
export async function readMp3(bytes: FileBytes): Promise<AudioFacts> {
  const tag = await bytes.read(0, 10);
  // ID3v2: a 28-bit "syncsafe" size (7 bits a byte) after the 10-byte header, and a 10-byte footer when flagged.
  const start = tag.toString('latin1', 0, 3) === 'ID3' && tag.length === 10
    ? 10 + ((tag[6] << 21) | (tag[7] << 14) | (tag[8] << 7) | tag[9]) + (tag[5] & 0x10 ? 10 : 0)
    : 0;
  const window = await bytes.read(start, SEARCH_WINDOW);
  let at = 0;
  let frame: Frame | undefined;
  for (; at < window.length; at++) {
    frame = layer3Frame(window, at);
    if (frame && (at + frame.length + 4 > window.length || layer3Frame(window, at + frame.length))) break;
    frame = undefined;
  }
  if (!frame) throw new MediaFault(window.length < SEARCH_WINDOW ? 'cut-off' : 'corrupt');
  const first = window.subarray(at, at + frame.length);
  const field = (offset: number): number | undefined => (first.length >= offset + 4 ? first.readUInt32BE(offset) : undefined);
  let frames: number | undefined;
  let streamBytes: number | undefined;
  const xing = 4 + (frame.mpeg1 ? (frame.mono ? 17 : 32) : frame.mono ? 9 : 17); // after the header and side information
  if (['Xing', 'Info'].includes(first.toString('latin1', xing, xing + 4))) {
    const flags = field(xing + 4) ?? 0;
    let next = xing + 8;
    if (flags & 1) {
      frames = field(next);
      next += 4;
    }
    if (flags & 2) streamBytes = field(next);
  } else if (first.toString('latin1', 36, 40) === 'VBRI') {
    streamBytes = field(46);
    frames = field(50);
  }
  const id3v1 = bytes.size >= 128 && (await bytes.read(bytes.size - 128, 3)).toString('latin1') === 'TAG' ? 128 : 0;
  const audioBytes = bytes.size - id3v1 - start - at;
  if (streamBytes && audioBytes < streamBytes) throw new MediaFault('cut-off');
  const seconds = frames ? (frames * frame.samples) / frame.sampleRate : (audioBytes * 8) / frame.bitrate;
  return {
    seconds,
    sampleRate: frame.sampleRate,
    channels: frame.mono ? 1 : 2,
    bitrate: frames ? Math.round(((streamBytes ?? audioBytes) * 8) / seconds) : frame.bitrate,
  };
}
