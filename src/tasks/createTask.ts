// Creating a task costs money, so a create is repeated only when it surely started nothing.
import { silentLog, type Log } from '../common/log';
import { WanError } from '../wan/errors';
import type { WanTask } from '../wan/task';

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface CreateRetryOptions {
  /** Tries in all, the first included. */
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
  log?: Log;
}

/**
 * Runs `create`, trying again only after a refused connection (or one that never opened) or a 429: answers that prove
 * no task was started. A request that may have reached the service (reset, timeout, a 5xx from a gateway that passed
 * it on) is never repeated: its WanError says so.
 */
export async function createWithRetry(create: () => Promise<WanTask>, options: CreateRetryOptions = {}): Promise<WanTask> {
  const attempts = options.attempts ?? 3;
  const log = options.log ?? silentLog;
  const sleep = options.sleep ?? wait;
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (error) {
      const canRetry = error instanceof WanError && error.retryable && !error.requestMayHaveBeenSent && attempt < attempts;
      if (!canRetry) throw error;
      const delay = Math.max(error.retryAfterMs ?? 0, 1000 * 2 ** (attempt - 1));
      log.warn(`${error.message}; trying again in ${delay} ms (attempt ${attempt + 1} of ${attempts})`);
      await sleep(delay);
    }
  }
}

export interface CreatedTaskSteps {
  /** Puts the task id in the log: the first step, so the id of a billed task is never lost. */
  log(): void;
  /** Stores the record; the store holds it in memory from the call, even if the write then fails. */
  save(): Promise<void>;
  /** Starts polling the task. */
  follow(): void;
}

export interface SaveRetryOptions {
  /** Tries in all, the first included (default 3). */
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * What follows a create that answered with a task: log the id, save the record, follow the task whether or not it
 * could be saved, and try a failed save again. Never throws: resolves with the last save error if every try failed.
 */
export async function keepCreated(steps: CreatedTaskSteps, options: SaveRetryOptions = {}): Promise<unknown> {
  const attempts = options.attempts ?? 3;
  const sleep = options.sleep ?? wait;
  steps.log();
  const save = () => {
    try {
      return steps.save();
    } catch (error) {
      return Promise.reject(error);
    }
  };
  let saving = save();
  steps.follow();
  for (let attempt = 1; ; attempt++) {
    try {
      await saving;
      return undefined;
    } catch (error) {
      if (attempt >= attempts) return error;
      await sleep(500 * 2 ** (attempt - 1));
      saving = save();
    }
  }
}
