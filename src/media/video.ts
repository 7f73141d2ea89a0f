// MP4 and QuickTime headers: duration (moov/mvhd), the picture's size and codec, and the sound's codec, from the box
// tree. Only the few boxes on the way are read; the sample tables and the media data are skipped by their sizes.
import { boxesIn, type Box } from './boxes';
import { FileBytes, MediaFault } from './fileBytes';
import type { VideoInfo } from './mediaTypes';

export type VideoFacts = Pick<VideoInfo, 'width' | 'height' | 'seconds' | 'videoCodec' | 'audioCodec'>;

/** Where the clip's index is: a file without `moov` was cut off while it was written or copied. */
async function movieBox(bytes: FileBytes): Promise<Box> {
  for await (const box of boxesIn(bytes, 0, bytes.size)) if (box.type === 'moov') return box;
  throw new MediaFault('cut-off');
}

export async function readVideo(bytes: FileBytes): Promise<VideoFacts> {
  const moov = await movieBox(bytes);
  const mvhd = await childBox(bytes, moov, 'mvhd');
  if (!mvhd) throw new MediaFault('corrupt');
  // Version 1 has 64-bit times: creation, modification, timescale (32 bits), duration.
  const header = await bytes.need(mvhd.body, 32);
  const [timescale, duration] = header[0] === 1
    ? [header.readUInt32BE(20), Number(header.readBigUInt64BE(24))]
    : [header.readUInt32BE(12), header.readUInt32BE(16)];
  if (timescale === 0) throw new MediaFault('corrupt');
  let picture: Pick<VideoFacts, 'width' | 'height' | 'videoCodec'> | undefined;
  let audioCodec: string | undefined;
  for await (const trak of boxesIn(bytes, moov.body, moov.end)) {
    if (trak.type !== 'trak') continue;
    const handler = await boxAt(bytes, trak, ['mdia', 'hdlr']);
    const kind = handler && (await bytes.need(handler.body + 8, 4)).toString('latin1');
    if (kind === 'vide' && !picture) picture = await readPicture(bytes, trak);
    if (kind === 'soun' && !audioCodec) audioCodec = (await sampleEntry(bytes, trak)).toString('latin1', 4, 8);
  }
  if (!picture) throw new MediaFault('corrupt');
  return { ...picture, seconds: duration / timescale, ...(audioCodec && { audioCodec }) };
}

/** The first sample description of a track: its size, four-letter code, and the start of its fields. */
async function sampleEntry(bytes: FileBytes, trak: Box): Promise<Buffer> {
  const stsd = await boxAt(bytes, trak, ['mdia', 'minf', 'stbl', 'stsd']);
  if (!stsd) throw new MediaFault('corrupt');
  return bytes.need(stsd.body + 8, 36); // after version, flags and the entry count
}

/** tkhd's presentation size (16.16 fixed point), or the visual sample entry's where tkhd says 0. */
async function readPicture(bytes: FileBytes, trak: Box): Promise<Pick<VideoFacts, 'width' | 'height' | 'videoCodec'>> {
  const entry = await sampleEntry(bytes, trak);
  let width = entry.readUInt16BE(32);
  let height = entry.readUInt16BE(34);
  const tkhd = await childBox(bytes, trak, 'tkhd');
  if (tkhd) {
    const header = await bytes.read(tkhd.body, 96);
    const matrix = header[0] === 1 ? 52 : 40; // after 64-bit times in version 1
    if (header.length < matrix + 44) throw new MediaFault('corrupt');
    if (header.readUInt32BE(matrix + 36) > 0) {
      width = header.readUInt32BE(matrix + 36) / 0x10000;
      height = header.readUInt32BE(matrix + 40) / 0x10000;
      // A matrix that turns the picture by 90° (a = 0, b = ±1) shows it with its sides swapped, as phones record portrait.
      if (header.readInt32BE(matrix) === 0 && Math.abs(header.readInt32BE(matrix + 4)) === 0x10000) [width, height] = [height, width];
    }
  }
  return { width: Math.round(width), height: Math.round(height), videoCodec: entry.toString('latin1', 4, 8) };
}

/** The first box of `type` inside `parent`, if there is one. */
async function childBox(bytes: FileBytes, parent: Box, type: string): Promise<Box | undefined> {
  for await (const box of boxesIn(bytes, parent.body, parent.end)) if (box.type === type) return box;
  return undefined;
}

/** The box at the end of a path of types below `parent`, such as `['mdia', 'minf', 'stbl', 'stsd']`. */
export async function boxAt(bytes: FileBytes, parent: Box, path: readonly string[]): Promise<Box | undefined> {
  let box: Box | undefined = parent;
  for (const type of path) {
    box = await childBox(bytes, box, type);
    if (!box) return undefined;
  }
  return box;
}
