// File-system helpers.
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';

/** True when something is at `path`: a file, a folder, or a link (even one whose target is gone). */
export async function exists(path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** True when `file` is under `folder` (compare real paths: a link or `..` can lead elsewhere). */
export function isInside(file: string, folder: string): boolean {
  const relative = nodePath.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !nodePath.isAbsolute(relative);
}
