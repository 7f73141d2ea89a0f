// The log every module writes to: VS Code's LogOutputChannel satisfies it as it is; tests pass a memory log.

export interface Log {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
}

export type LogComponent = 'poller' | 'download' | 'create' | 'upload' | 'keeper' | 'preview' | 'leases' | 'store' | 'takes' | 'sound';

/** `log` with each line starting with its component, as in `[poller] task t1: …`. */
export function tagged(log: Log, component: LogComponent): Log {
  const tag = `[${component}] `;
  return {
    trace: (message) => log.trace(tag + message),
    debug: (message) => log.debug(tag + message),
    info: (message) => log.info(tag + message),
    warn: (message) => log.warn(tag + message),
    error: (message) => log.error(typeof message === 'string' ? tag + message : `${tag}${message.message}`),
  };
}

/** A log that drops every line: the default of modules whose caller gives none. */
export const silentLog: Log = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
