// Random access to a file's bytes: the readers seek to what they need and never read a file whole.
import { promises as fs } from 'node:fs';

/** Why a file could not be read as the format it starts like: it ends too early, or its structure is broken. */
export class MediaFault extends Error {
  constructor(readonly code: 'cut-off' | 'corrupt') {
    super(code);
  }
}

export class FileBytes {
  private constructor(
    private readonly handle: fs.FileHandle,
    readonly size: number,
  ) {}

  /** Opens `path`, hands it to `use` and closes it again. */
  static async use<T>(path: string, use: (bytes: FileBytes) => Promise<T>): Promise<T> {
    const handle = await fs.open(path, 'r');
    try {
      return await use(new FileBytes(handle, (await handle.stat()).size));
    } finally {
      await handle.close();
    }
  }

  /** Up to `length` bytes from `offset`: fewer where the file ends. */
  async read(offset: number, length: number): Promise<Buffer> {
    const buffer = Buffer.alloc(Math.max(0, Math.min(length, this.size - offset)));
    const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, offset);
    return buffer.subarray(0, bytesRead);
  }

  /** Exactly `length` bytes from `offset`; a cut-off fault where the file ends before them. */
  async need(offset: number, length: number): Promise<Buffer> {
    const buffer = await this.read(offset, length);
    if (buffer.length < length) throw new MediaFault('cut-off');
    return buffer;
  }
}
