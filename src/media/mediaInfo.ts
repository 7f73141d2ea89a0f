// Reads what a local media file is from its header alone: its kind, its format and its facts, or why it cannot tell.
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { errorMessage } from '../common/text';
import { FileBytes, MediaFault } from './fileBytes';
import { FORMATS, formatLabel, type FormatRow } from './formats';
import type { MediaFormat, MediaInfo, MediaKind, MediaRead, MediaReadProblem } from './mediaTypes';

/**
 * The format comes from the bytes, not the name (a name that says another format is noted in `extensionSays`);
 * documents are known by their extension only. Reads a few small pieces wherever the format keeps its header, never
 * the whole file.
 */
export async function readMediaInfo(file: string): Promise<MediaRead> {
  const extension = path.extname(file).slice(1).toLowerCase();
  const named = FORMATS.find((row) => row.extensions.includes(extension));
  try {
    return await FileBytes.use(file, async (bytes) => {
      const head = await bytes.read(0, 32);
      const row = named && !named.sniff ? named : FORMATS.find((candidate) => candidate.sniff?.(head));
      if (!row) return { problem: problem('unknown', named?.format) };
      try {
        const facts = (await row.read?.(bytes)) ?? {};
        const extensionSays = named && named !== row ? { extensionSays: named.format } : {};
        return { info: { kind: row.kind, format: row.format, size: bytes.size, ...extensionSays, ...facts } as MediaInfo };
      } catch (error) {
        if (error instanceof MediaFault) return { problem: problem(error.code, row.format) };
        throw error;
      }
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { problem: problem('missing', named?.format) };
    return { problem: problem('unreadable', named?.format, errorMessage(error)) };
  }
}

function problem(code: MediaReadProblem['code'], format: MediaFormat | undefined, reason = ''): MediaReadProblem {
  const label = format && formatLabel(format);
  return { code, ...(format && { format }), message: readMessage(code, label, reason) };
}

function readMessage(code: MediaReadProblem['code'], label: string | undefined, reason: string): string {
  switch (code) {
    case 'missing':
      return l10n.t('There is no file at this path. Check the name; a path is relative to the prompt file or to a workspace folder.');
    case 'unreadable':
      return l10n.t('The file cannot be read ({0}). Check that it is a file and that you may read it.', reason);
    case 'unknown':
      return label
        ? l10n.t('This file is not in {0} format, nor in any other format the service takes. Export it again as {0}.', label)
        : l10n.t('The service takes images ({0}), videos ({1}), sounds ({2}) and documents ({3}); this file is none of them.', ...(['image', 'video', 'audio', 'document'] as const).map(labelsOf));
    case 'corrupt':
      return l10n.t('The header of this {0} file is damaged. Open it in an editor and save or export it again.', label ?? '');
    case 'cut-off':
      return l10n.t('This {0} file is cut off: it ends before its header or its data is complete, as after an interrupted download or copy. Copy or export it again.', label ?? '');
  }
}

function labelsOf(kind: MediaKind): string {
  return FORMATS.filter((row: FormatRow) => row.kind === kind).map((row) => formatLabel(row.format)).join(', ');
}
