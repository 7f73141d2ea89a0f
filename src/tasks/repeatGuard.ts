// A double-click must not bill two tasks: the same submission, made again while the first is on its way or a few
// seconds after its task was created, is held back unless the user asks for another.
import type { GenerationParams } from '../wan/params';
import { systemClock, type Clock } from '../common/clock';

export interface RepeatGuardOptions {
  /** How long after its task was created a submission counts as a repeat (default 5 s). */
  windowMs?: number;
  clock?: Pick<Clock, 'now'>;
}

/**
 * What makes two submissions the same: the button (Generate, Regenerate, Variation), the file or document, and every
 * parameter but the seed, which is drawn at random for each click when none is set.
 */
export function submissionKey(action: string, origin: string, tasks: readonly GenerationParams[]): string {
  return JSON.stringify([action, origin, tasks.map(({ seed: _seed, ...rest }) => rest)]);
}

export class RepeatGuard {
  private readonly windowMs: number;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly inFlight = new Set<string>();
  /** When each recent submission's task was created. */
  private readonly created = new Map<string, number>();

  constructor(options: RepeatGuardOptions = {}) {
    this.windowMs = options.windowMs ?? 5000;
    this.clock = options.clock ?? systemClock;
  }

  /** Starts a submission and returns its end (say whether a task was created), or undefined when it is a repeat. */
  begin(key: string): ((created: boolean) => void) | undefined {
    const now = this.clock.now();
    for (const [other, at] of this.created) if (now - at >= this.windowMs) this.created.delete(other);
    if (this.inFlight.has(key) || this.created.has(key)) return undefined;
    this.inFlight.add(key);
    return (created) => {
      if (!this.inFlight.delete(key)) return;
      if (created) this.created.set(key, this.clock.now());
    };
  }
}
