// The formats the service takes, one row each: how the bytes show it, its file extensions and its header reader.
import { layer3Frame, readMp3, readWav } from './audio';
import type { FileBytes } from './fileBytes';
import { PNG_SIGNATURE, readBmp, readJpeg, readPng, readWebp } from './images';
import type { DocumentFormat, MediaFormat, MediaKind } from './mediaTypes';
import { readVideo } from './video';

export interface FormatRow {
  format: MediaFormat;
  kind: MediaKind;
  /** Lower case, the usual one first. */
  extensions: readonly string[];
  /** Whether the file's first 32 bytes are this format's; documents are known by their extension only. */
  sniff?: (head: Buffer) => boolean;
  /** The facts of its header (dimensions, duration…); throws a MediaFault. */
  read?: (bytes: FileBytes) => Promise<object>;
}

function text(head: Buffer, at: number, expected: string): boolean {
  return head.toString('latin1', at, at + expected.length) === expected;
}

/** ISO base media files that are pictures, not clips (HEIF, AVIF). */
const IMAGE_BRANDS = ['heic', 'heix', 'mif1', 'msf1', 'avif', 'avis'];
/** QuickTime files from before `ftyp` start with one of these boxes. */
const QUICKTIME_FIRST_BOXES = ['moov', 'mdat', 'wide', 'free', 'skip', 'pnot'];

function ftypBrand(head: Buffer): string | undefined {
  return text(head, 4, 'ftyp') ? head.toString('latin1', 8, 12) : undefined;
}

const DOCUMENTS: readonly DocumentFormat[] = ['docx', 'doc', 'xlsx', 'xls', 'pptx', 'ppt', 'pdf', 'txt', 'key', 'pages', 'numbers', 'md'];

export const FORMATS: readonly FormatRow[] = [
  { format: 'png', kind: 'image', extensions: ['png'], sniff: (head) => head.subarray(0, 8).equals(PNG_SIGNATURE), read: readPng },
  { format: 'jpeg', kind: 'image', extensions: ['jpg', 'jpeg'], sniff: (head) => head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff, read: readJpeg },
  { format: 'bmp', kind: 'image', extensions: ['bmp'], sniff: (head) => text(head, 0, 'BM'), read: readBmp },
  { format: 'webp', kind: 'image', extensions: ['webp'], sniff: (head) => text(head, 0, 'RIFF') && text(head, 8, 'WEBP'), read: readWebp },
  {
    format: 'mov',
    kind: 'video',
    extensions: ['mov'],
    sniff: (head) => ftypBrand(head) === 'qt  ' || (!ftypBrand(head) && QUICKTIME_FIRST_BOXES.includes(head.toString('latin1', 4, 8))),
    read: readVideo,
  },
  {
    format: 'mp4',
    kind: 'video',
    extensions: ['mp4'],
    sniff: (head) => ftypBrand(head) !== undefined && !IMAGE_BRANDS.includes(ftypBrand(head)!),
    read: readVideo,
  },
  { format: 'wav', kind: 'audio', extensions: ['wav'], sniff: (head) => text(head, 0, 'RIFF') && text(head, 8, 'WAVE'), read: readWav },
  { format: 'mp3', kind: 'audio', extensions: ['mp3'], sniff: (head) => text(head, 0, 'ID3') || layer3Frame(head, 0) !== undefined, read: readMp3 },
  ...DOCUMENTS.map((format): FormatRow => ({ format, kind: 'document', extensions: [format] })),
];

export function formatRow(format: MediaFormat): FormatRow {
  return FORMATS.find((row) => row.format === format)!;
}

/** How messages name a format: PNG, JPEG, MP4, DOCX… */
export function formatLabel(format: MediaFormat): string {
  return format.toUpperCase();
}
