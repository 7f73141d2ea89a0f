// What the Tasks view, the preview and the prompt file's lenses call a task's status, its time and its usage: one wording.
import * as l10n from '@vscode/l10n';
import type { TaskUsage } from '../wan/task';
import type { RecordStatus, TaskRecord } from './taskRecord';

export function statusLabel(record: TaskRecord): string {
  if (record.status === 'SUCCEEDED') {
    if (record.choice === 'discarded') return l10n.t('discarded');
    switch (record.download.state) {
      case 'downloading': return l10n.t('downloading');
      case 'failed': return l10n.t('download failed');
      default: return l10n.t('succeeded');
    }
  }
  const labels: Record<RecordStatus, string> = {
    PENDING: l10n.t('queued'),
    RUNNING: l10n.t('running'),
    SUSPENDED: l10n.t('suspended'),
    SUCCEEDED: l10n.t('succeeded'),
    FAILED: l10n.t('failed'),
    CANCELED: l10n.t('cancelled'),
    UNKNOWN: l10n.t('unknown to the service'),
    EXPIRED: l10n.t('expired'),
  };
  return labels[record.status];
}

export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return l10n.t('{0}s', seconds);
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return l10n.t('{0}m {1}s', minutes, String(seconds % 60).padStart(2, '0'));
  return l10n.t('{0}h {1}m', Math.floor(minutes / 60), String(minutes % 60).padStart(2, '0'));
}

/** "10.04 s · 30 fps · input video 4.5 s": the seconds the service made and billed; undefined until it says. */
export function usageLabel(usage: TaskUsage | undefined): string | undefined {
  if (usage?.duration === undefined) return undefined;
  // Two decimals at most: a float such as 8.000000001 reads 8.
  const seconds = (value: number) => l10n.t('{0} s', Math.round(value * 100) / 100);
  const parts = [seconds(usage.duration)];
  if (usage.fps !== undefined) parts.push(l10n.t('{0} fps', usage.fps));
  if (usage.inputVideoDuration) parts.push(l10n.t('input video {0}', seconds(usage.inputVideoDuration)));
  return parts.join(' · ');
}
