// File-system helpers.
import { promises as fs } from 'node:fs';

/** True when something is at `path`: a file, a folder, or a link (even one whose target is gone). */
export async function exists(path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch {
    return false;
  }
}
