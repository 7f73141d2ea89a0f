// The `.json` beside each video: everything needed to reproduce it (videoKeeper.ts writes its content), and the
// user's choice of it (Keep in Compare Takes).
import { promises as fs } from 'node:fs';

export function sidecarPath(videoPath: string): string {
  return videoPath.replace(/\.mp4$/i, '') + '.json';
}

/** Adds `"kept": true` to the video's sidecar, written whole as the first time. */
export async function markSidecarKept(videoPath: string): Promise<void> {
  const content: unknown = JSON.parse(await fs.readFile(sidecarPath(videoPath), 'utf8'));
  await writeSidecar(videoPath, { ...(content as object), kept: true });
}

export async function writeSidecar(videoPath: string, content: object): Promise<void> {
  const target = sidecarPath(videoPath);
  const temporary = `${target}.part`;
  await fs.writeFile(temporary, JSON.stringify(content, null, 2) + '\n');
  await fs.rename(temporary, target);
}

