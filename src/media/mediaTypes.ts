// What reading a media file's header tells: its kind, its format and the facts the service's limits are about.

export type MediaKind = 'image' | 'video' | 'audio' | 'document';

export type ImageFormat = 'png' | 'jpeg' | 'bmp' | 'webp';
export type VideoFormat = 'mp4' | 'mov';
export type AudioFormat = 'wav' | 'mp3';
export type DocumentFormat = 'docx' | 'doc' | 'xlsx' | 'xls' | 'pptx' | 'ppt' | 'pdf' | 'txt' | 'key' | 'pages' | 'numbers' | 'md';
export type MediaFormat = ImageFormat | VideoFormat | AudioFormat | DocumentFormat;

interface FileFacts {
  /** In bytes. */
  size: number;
  /** The format the file name's extension names, when the bytes show another one (`photo.png` holding a JPEG). */
  extensionSays?: MediaFormat;
}

export interface ImageInfo extends FileFacts {
  kind: 'image';
  format: ImageFormat;
  width: number;
  height: number;
  /** True when the image can be transparent: PNG colour types 4 and 6 or a tRNS chunk, WEBP's alpha flag, BMP's alpha mask. */
  alpha: boolean;
}

export interface VideoInfo extends FileFacts {
  kind: 'video';
  format: VideoFormat;
  /** As shown: a track turned by 90° has its sides swapped. */
  width: number;
  height: number;
  seconds: number;
  /** The sample entry's four-letter code: `avc1`, `hvc1`, `av01`… */
  videoCodec: string;
  /** The same for the first sound track (`mp4a` is AAC); absent when the clip has no sound. */
  audioCodec?: string;
}

export interface AudioInfo extends FileFacts {
  kind: 'audio';
  format: AudioFormat;
  seconds: number;
  sampleRate: number;
  channels: number;
  /** Bits per second: the average of a variable-bitrate MP3. */
  bitrate: number;
}

/** Known by its extension only. */
export interface DocumentInfo extends FileFacts {
  kind: 'document';
  format: DocumentFormat;
}

export type MediaInfo = ImageInfo | VideoInfo | AudioInfo | DocumentInfo;

/**
 * Why a file could not be read: `missing` (nothing there), `unreadable` (a folder, no permission…), `unknown` (neither
 * its bytes nor its extension are a format the service takes), `corrupt` (it starts like `format` but its header is
 * broken), `cut-off` (it ends inside its header or before its data, as an interrupted copy or download does).
 */
export interface MediaReadProblem {
  code: 'missing' | 'unreadable' | 'unknown' | 'corrupt' | 'cut-off';
  /** The format the bytes (or, failing them, the extension) claim. */
  format?: MediaFormat;
  /** What happened and what to do, for the user. */
  message: string;
}

export type MediaRead = { info: MediaInfo } | { problem: MediaReadProblem };
