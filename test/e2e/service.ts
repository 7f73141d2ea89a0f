// Moves tasks on the Wan test server when a flow wants it, so no flow depends on how fast the extension polls.
import type { ServerTask, TaskScript, WanTestServer } from '../server/wanServer';

/** Long enough to never end by itself during a run. */
export const UNTIL_MOVED_MS = 60 * 60_000;

/**
 * How the service will run the tasks created from now on. The server's default script rather than its queue:
 * a flow that fails before its create must not leave its script to the next flow.
 */
export function scriptNewTasks(server: WanTestServer, script: TaskScript): void {
  server.defaultScript = script;
}

/** The task the extension created most recently for a prompt that starts with `promptStart`. */
export function taskFor(server: WanTestServer, promptStart: string): ServerTask | undefined {
  return [...server.tasks.values()]
    .filter((task) => String((task.body as { input?: { prompt?: string } }).input?.prompt ?? '').startsWith(promptStart))
    .sort((a, b) => b.createdAt - a.createdAt)[0];
}

/** A queued task starts running now (the server derives the status from the script's times). */
export function startRunning(task: ServerTask): void {
  task.script.pendingMs = Date.now() - task.createdAt;
}

/** A running task reaches its outcome now. */
export function finish(task: ServerTask): void {
  task.script.runningMs = Date.now() - task.createdAt - (task.script.pendingMs ?? 0);
}
