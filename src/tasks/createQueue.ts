// Paces task creations within the service's limit (5 per second per account), queued locally beyond it,
// and submits batches that can be cancelled: what was not sent is never sent.
import { setMaxListeners } from 'node:events';
import * as l10n from '@vscode/l10n';
import { systemClock, type Clock } from '../common/clock';

/** The create was never sent: the batch was cancelled (or the queue closed) while it waited for its turn. */
export class NotSubmittedError extends Error {
  constructor() {
    super(l10n.t('Not submitted: cancelled before its turn.'));
  }
}

export interface CreateQueueOptions {
  /** Creates allowed in any window (default 5). */
  limit?: number;
  /** default 1000 */
  windowMs?: number;
  clock?: Clock;
}

interface Waiter {
  start(): void;
  fail(error: Error): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * A sliding window over the creates of every batch and single generate alike. A slot is held from the moment a
 * request starts until `windowMs` after it settles, so the service, which counts arrivals, never sees more than
 * `limit` in any window whatever the network's delay.
 */
export class CreateQueue {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly clock: Clock;
  private readonly waiting: Waiter[] = [];
  /** When each settled request frees its slot. */
  private readonly freesAt: number[] = [];
  private inFlight = 0;
  private timer: unknown;
  private closed = false;

  constructor(options: CreateQueueOptions = {}) {
    this.limit = options.limit ?? 5;
    this.windowMs = options.windowMs ?? 1000;
    this.clock = options.clock ?? systemClock;
  }

  /** Runs `send` once a slot is free, in the order asked; rejects with NotSubmittedError if `signal` aborts first. */
  run<T>(send: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.closed || signal?.aborted) return Promise.reject(new NotSubmittedError());
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        signal,
        fail: reject,
        start: () => {
          this.inFlight++;
          void Promise.resolve()
            .then(send)
            .then(resolve, reject)
            .finally(() => {
              this.inFlight--;
              this.freesAt.push(this.clock.now() + this.windowMs);
              this.pump();
            });
        },
      };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.waiting.indexOf(waiter);
          if (index < 0) return; // already sent
          this.waiting.splice(index, 1);
          reject(new NotSubmittedError());
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiting.push(waiter);
      this.pump();
    });
  }

  /** Creates waiting for their turn. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Nothing waiting is sent any more; requests already sent finish. */
  dispose(): void {
    this.closed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of this.waiting.splice(0)) {
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.fail(new NotSubmittedError());
    }
  }

  private pump(): void {
    if (this.closed) return;
    const now = this.clock.now();
    while (this.freesAt.length > 0 && this.freesAt[0] <= now) this.freesAt.shift();
    while (this.waiting.length > 0 && this.inFlight + this.freesAt.length < this.limit) {
      const waiter = this.waiting.shift()!;
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.start();
    }
    // Every slot is taken: wake when the oldest frees (a request still in flight wakes us when it settles).
    if (this.waiting.length > 0 && this.timer === undefined && this.freesAt.length > 0) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, this.freesAt[0] - now);
    }
  }
}

export interface BatchOptions<I, R> {
  items: readonly I[];
  /** One create, paced by a CreateQueue with `signal`; resolves once the service answered (and the task is kept). */
  create(item: I, signal: AbortSignal): Promise<R>;
  /** Called the moment a create resolves, before any other. */
  onCreated?(item: I, result: R): Promise<void>;
  onProgress?(created: number, total: number): void;
  /** Cancels the batch: what was not sent is not sent. */
  signal?: AbortSignal;
}

export interface BatchOutcome<I, R> {
  created: { item: I; result: R }[];
  /** Never sent: cancelled, or stopped by a failure. */
  notSubmitted: I[];
  /** Creates that failed; the first one stops the batch, since the next would most likely fail the same way. */
  failures: { item: I; error: unknown }[];
  cancelled: boolean;
}

/** Submits every item, as fast as the queue allows, in order; never throws. */
export async function submitBatch<I, R>(options: BatchOptions<I, R>): Promise<BatchOutcome<I, R>> {
  const stop = new AbortController();
  setMaxListeners(options.items.length + 10, stop.signal); // every item waiting for its turn listens to it
  const cancel = () => stop.abort();
  options.signal?.addEventListener('abort', cancel, { once: true });
  if (options.signal?.aborted) stop.abort();
  const outcome: BatchOutcome<I, R> = { created: [], notSubmitted: [], failures: [], cancelled: false };
  const total = options.items.length;
  try {
    await Promise.all(options.items.map(async (item) => {
      let result: R;
      try {
        result = await options.create(item, stop.signal);
      } catch (error) {
        if (error instanceof NotSubmittedError) {
          outcome.notSubmitted.push(item);
        } else {
          outcome.failures.push({ item, error });
          stop.abort();
        }
        return;
      }
      try {
        await options.onCreated?.(item, result);
        outcome.created.push({ item, result });
        options.onProgress?.(outcome.created.length, total);
      } catch (error) {
        outcome.failures.push({ item, error });
        stop.abort();
      }
    }));
  } finally {
    options.signal?.removeEventListener('abort', cancel);
  }
  outcome.cancelled = options.signal?.aborted ?? false;
  // In the items' order, whatever order the answers came in.
  const order = new Map(options.items.map((item, i) => [item, i]));
  outcome.created.sort((a, b) => order.get(a.item)! - order.get(b.item)!);
  outcome.notSubmitted.sort((a, b) => order.get(a)! - order.get(b)!);
  return outcome;
}
