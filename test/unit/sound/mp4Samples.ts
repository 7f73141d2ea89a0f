// The sample tables of an MP4 file's tracks, read with the extension's own box walker (src/media/boxes.ts): where each
// sample is, its size, its decode and presentation times, whether it is a sync sample; and each track's edit list.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { boxesIn, type Box } from '../../../src/media/boxes';
import { FileBytes } from '../../../src/media/fileBytes';
import { boxAt } from '../../../src/media/video';

export interface Sample {
  size: number;
  /** Decode time, in the track's timescale. */
  dts: number;
  /** Presentation time (decode time + composition offset), in the track's timescale. */
  pts: number;
  /** Until the next sample's decode time (the last one's own), in the track's timescale. */
  duration: number;
  sync: boolean;
  /** MD5 of the sample's bytes. */
  md5: string;
}

export interface Edit {
  /** In the movie's timescale. */
  duration: number;
  /** Where in the track's media the edit starts, in the track's timescale; -1 for an empty edit. */
  mediaTime: number;
}

export interface Track {
  handler: string;
  codec: string;
  timescale: number;
  edits: Edit[];
  samples: Sample[];
  /** Sound only: from the sample entry. */
  channels?: number;
  sampleRate?: number;
  /** FLAC only: total samples from the STREAMINFO in its dfLa box. */
  flacTotalSamples?: number;
}

export interface Movie {
  timescale: number;
  tracks: Track[];
}

export async function readMovie(file: string): Promise<Movie> {
  return FileBytes.use(file, async (bytes) => {
    let moov: Box | undefined;
    for await (const box of boxesIn(bytes, 0, bytes.size)) if (box.type === 'moov') moov = box;
    if (!moov) throw new Error(`${file}: no moov`);
    const mvhd = await fullBox(bytes, moov, ['mvhd']);
    const timescale = mvhd.readUInt32BE(mvhd[0] === 1 ? 20 : 12);
    const tracks: Track[] = [];
    for await (const trak of boxesIn(bytes, moov.body, moov.end)) if (trak.type === 'trak') tracks.push(await readTrack(bytes, trak));
    return { timescale, tracks };
  });
}

async function fullBox(bytes: FileBytes, parent: Box, path: string[]): Promise<Buffer> {
  const box = await boxAt(bytes, parent, path);
  if (!box) throw new Error(`no ${path.join('/')}`);
  return bytes.need(box.body, box.end - box.body);
}

async function optionalBox(bytes: FileBytes, parent: Box, path: string[]): Promise<Buffer | undefined> {
  return (await boxAt(bytes, parent, path)) ? fullBox(bytes, parent, path) : undefined;
}

async function readTrack(bytes: FileBytes, trak: Box): Promise<Track> {
  const handler = (await fullBox(bytes, trak, ['mdia', 'hdlr'])).toString('latin1', 8, 12);
  const mdhd = await fullBox(bytes, trak, ['mdia', 'mdhd']);
  const timescale = mdhd.readUInt32BE(mdhd[0] === 1 ? 20 : 12);
  const stbl = ['mdia', 'minf', 'stbl'];
  const stsd = await fullBox(bytes, trak, [...stbl, 'stsd']);
  const entry = stsd.subarray(8, 8 + stsd.readUInt32BE(8));
  const codec = entry.toString('latin1', 4, 8);
  const track: Track = { handler, codec, timescale, edits: readEdits(await optionalBox(bytes, trak, ['edts', 'elst'])), samples: [] };
  if (handler === 'soun') {
    track.sampleRate = entry.readUInt32BE(32) >>> 16;
    // MP4's AAC entry always says 2 channels: the decoder's configuration (in esds) has the real number.
    track.channels = codec === 'mp4a' ? aacChannels(entry) : entry.readUInt16BE(24);
    if (codec === 'fLaC') {
      // dfLa: size, type, version and flags, then the STREAMINFO block (4-byte header); 20 bits of rate, 3 of
      // channels, 5 of bits per sample, 36 of total samples start 10 bytes into it.
      const dfla = entry.indexOf('dfLa', 36, 'latin1');
      const info = entry.subarray(dfla + 8 + 4);
      track.flacTotalSamples = Number(info.readBigUInt64BE(10) & 0xfffffffffn);
    }
  }
  const sizes = readSizes(await fullBox(bytes, trak, [...stbl, 'stsz']));
  const offsets = readOffsets(await optionalBox(bytes, trak, [...stbl, 'stco']) ?? await fullBox(bytes, trak, [...stbl, 'co64']), !(await boxAt(bytes, trak, [...stbl, 'stco'])));
  const chunks = readChunkRuns(await fullBox(bytes, trak, [...stbl, 'stsc']));
  const deltas = readRuns(await fullBox(bytes, trak, [...stbl, 'stts']), false);
  const ctts = await optionalBox(bytes, trak, [...stbl, 'ctts']);
  const compositions = ctts ? readRuns(ctts, ctts[0] === 1) : sizes.map(() => 0);
  const stss = await optionalBox(bytes, trak, [...stbl, 'stss']);
  const sync = stss ? new Set(Array.from({ length: stss.readUInt32BE(4) }, (_, i) => stss.readUInt32BE(8 + 4 * i) - 1)) : undefined;
  let index = 0;
  let dts = 0;
  for (let chunk = 0; chunk < offsets.length; chunk++) {
    let offset = offsets[chunk];
    const perChunk = [...chunks].reverse().find((run) => run.firstChunk <= chunk + 1)!.samples;
    for (let i = 0; i < perChunk && index < sizes.length; i++, index++) {
      const data = await bytes.need(offset, sizes[index]);
      track.samples.push({ size: sizes[index], dts, pts: dts + compositions[index], duration: deltas[index], sync: sync ? sync.has(index) : true, md5: createHash('md5').update(data).digest('hex') });
      offset += sizes[index];
      dts += deltas[index];
    }
  }
  return track;
}

/** The channel configuration of the AudioSpecificConfig in an mp4a entry's esds (ISO/IEC 14496-1 descriptors). */
function aacChannels(entry: Buffer): number {
  let at = entry.indexOf('esds', 36, 'latin1') + 8; // after the box's type, version and flags
  const descriptor = (): { tag: number; body: number } => {
    const tag = entry[at++];
    while (entry[at++] & 0x80); // the length, 7 bits a byte; each descriptor is read into, not skipped
    return { tag, body: at };
  };
  assert(descriptor().tag === 0x03);
  at += 3; // ES_ID and flags (ffmpeg sets none of the optional fields)
  assert(descriptor().tag === 0x04);
  at += 13; // object type, stream type, buffer size, bit rates
  const config = descriptor();
  assert(config.tag === 0x05);
  // 5 bits of object type, 4 of sampling frequency index (15: 24 more bits of frequency), then 4 of channels.
  const bits = entry.readUInt32BE(config.body);
  return ((bits >>> 23) & 0xf) === 15 ? (entry.readUInt32BE(config.body + 3) >>> 21) & 0xf : (bits >>> 19) & 0xf;
}

function readEdits(elst: Buffer | undefined): Edit[] {
  if (!elst) return [];
  const wide = elst[0] === 1;
  const size = wide ? 20 : 12;
  return Array.from({ length: elst.readUInt32BE(4) }, (_, i) => {
    const at = 8 + i * size;
    return wide
      ? { duration: Number(elst.readBigUInt64BE(at)), mediaTime: Number(elst.readBigInt64BE(at + 8)) }
      : { duration: elst.readUInt32BE(at), mediaTime: elst.readInt32BE(at + 4) };
  });
}

function readSizes(stsz: Buffer): number[] {
  const fixed = stsz.readUInt32BE(4);
  const count = stsz.readUInt32BE(8);
  return Array.from({ length: count }, (_, i) => fixed || stsz.readUInt32BE(12 + 4 * i));
}

function readOffsets(box: Buffer, wide: boolean): number[] {
  return Array.from({ length: box.readUInt32BE(4) }, (_, i) => (wide ? Number(box.readBigUInt64BE(8 + 8 * i)) : box.readUInt32BE(8 + 4 * i)));
}

function readChunkRuns(stsc: Buffer): { firstChunk: number; samples: number }[] {
  return Array.from({ length: stsc.readUInt32BE(4) }, (_, i) => ({ firstChunk: stsc.readUInt32BE(8 + 12 * i), samples: stsc.readUInt32BE(12 + 12 * i) }));
}

/** stts or ctts: runs of (count, value), one value per sample. */
function readRuns(box: Buffer, signed: boolean): number[] {
  const values: number[] = [];
  for (let i = 0; i < box.readUInt32BE(4); i++) {
    const count = box.readUInt32BE(8 + 8 * i);
    const value = signed ? box.readInt32BE(12 + 8 * i) : box.readUInt32BE(12 + 8 * i);
    for (let n = 0; n < count; n++) values.push(value);
  }
  return values;
}

/** The samples a track plays, by its edit list (the whole track without one), in the track's timescale. */
export function playedLength(track: Track, movieTimescale: number): number {
  const edits = track.edits.filter((edit) => edit.mediaTime >= 0);
  if (edits.length === 0) return mediaLength(track);
  return edits.reduce((sum, edit) => sum + Math.round((edit.duration * track.timescale) / movieTimescale), 0);
}

/** Where the track's media starts to play (after its empty edits), in seconds. */
export function startSeconds(track: Track, movieTimescale: number): number {
  return track.edits.filter((edit) => edit.mediaTime < 0).reduce((sum, edit) => sum + edit.duration, 0) / movieTimescale;
}

/** Every sample's duration added up, in the track's timescale. */
export function mediaLength(track: Track): number {
  return track.samples.reduce((sum, sample) => sum + sample.duration, 0);
}
