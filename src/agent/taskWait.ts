// wan_get_video_task's wait: until every task asked about is settled (finished, its video saved or given up), the
// time is up, or the agent's call is cancelled; whichever comes first. It only watches the store the poller updates.
import type { IDisposable } from '../common/lifecycle';
import type { TaskRecord } from '../tasks/taskRecord';
import { isSettled } from './toolTexts';

/** The longest wait one call may ask for: an agent's tool call should not hang for minutes. */
export const MAX_WAIT_SECONDS = 120;

export interface WatchedStore {
  get(taskId: string): TaskRecord | undefined;
  onDidChange(listener: (record: TaskRecord | undefined) => void): IDisposable;
}

export type WaitEnd = 'done' | 'timeout' | 'cancelled';

export function waitForTasks(store: WatchedStore, taskIds: readonly string[], waitMs: number, signal: AbortSignal): Promise<WaitEnd> {
  const settled = () => taskIds.every((id) => {
    const record = store.get(id);
    return record === undefined || isSettled(record);
  });
  if (settled()) return Promise.resolve('done');
  if (signal.aborted) return Promise.resolve('cancelled');
  return new Promise((resolve) => {
    const finish = (end: WaitEnd) => {
      clearTimeout(timer);
      listener.dispose();
      signal.removeEventListener('abort', onAbort);
      resolve(end);
    };
    const onAbort = () => finish('cancelled');
    const timer = setTimeout(() => finish('timeout'), waitMs);
    const listener = store.onDidChange(() => {
      if (settled()) finish('done');
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The seconds to wait: none unless asked, at most {@link MAX_WAIT_SECONDS}. */
export function waitSecondsOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.min(value, MAX_WAIT_SECONDS) : 0;
}
