// Lets a test ask the code-server launcher for a screenshot of the whole workbench, as it looks right now.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Set by runInCodeServer for code-server's environment; absent in the desktop (test-electron) run. */
const SCREENSHOT_DIR_ENV = 'WAN_TEST_SCREENSHOT_DIR';
const WAIT_MS = 15_000;

/**
 * Saves `test-output/screenshots/<name>.png` (name: letters, digits, `.`, `_`, `-`) and resolves once it is written.
 * Resolves at once when no launcher can take screenshots.
 */
export async function takeScreenshot(name: string): Promise<void> {
  const dir = process.env[SCREENSHOT_DIR_ENV];
  if (!dir) return;
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`Screenshot name must match [A-Za-z0-9._-]+: ${JSON.stringify(name)}`);
  const done = path.join(dir, `screenshot-${name}.done`);
  fs.rmSync(done, { force: true });
  console.log(`WAN_SCREENSHOT ${name}`);
  const deadline = Date.now() + WAIT_MS;
  while (!fs.existsSync(done)) {
    if (Date.now() > deadline) throw new Error(`The launcher did not take screenshot "${name}" within ${WAIT_MS / 1000} s.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const outcome = fs.readFileSync(done, 'utf8').trim();
  if (outcome !== 'ok') throw new Error(`Screenshot "${name}" failed: ${outcome}`);
}
