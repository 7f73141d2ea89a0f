// Runs the extension-host suite (out/test/suite) inside code-server 4.100.3 (VS Code 1.100.3), driven by Debian's Chromium.
// Expects dist/ and out/ to be built already (npm test does that first).
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { filesContaining } from './secretScan';
import { CODE_SERVER_VERSION, ensureCodeServer, launchChromium, requireChromium, startCodeServer, VSCODE_VERSION, type RunningCodeServer } from './codeServer';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const suiteIndex = path.join(repoRoot, 'out', 'test', 'suite', 'index');
const outputDir = path.join(repoRoot, 'test-output');
const screenshotsDir = path.join(outputDir, 'screenshots');
const timeoutMs = Number(process.env.WAN_TEST_TIMEOUT_MS) || 10 * 60_000;


const SCREENSHOT_REQUEST = /^WAN_SCREENSHOT ([A-Za-z0-9._-]+)$/m;
/** The workbench says so several times, a consequence of the EXTENSIONS_GALLERY setting below. */
const GALLERY_DISABLED = /^Ignoring fetching additional builtin extensions from gallery as it is disabled\.$/;
const SUITE_START = /^Running in /m;
const SUMMARY = /^extension-host: (\d+) passed, (\d+) failed$/m;

let browser: Browser | undefined;
let page: Page | undefined;
let server: RunningCodeServer | undefined;
let runDir: string | undefined;
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await withTimeout(browser?.close(), 10_000).catch(() => undefined);
    if (server) {
      await server.stop().catch((error) => console.error(`Could not stop code-server: ${error}`));
    }
    if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
  })();
  return cleaning;
}

// Last resort when the process ends without cleanup() (codeServer.ts has already SIGKILLed code-server's group by then).
process.on('exit', () => {
  if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
});

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  process.on(signal, () => {
    // A second Ctrl-C does not wait: the exit handlers still kill code-server's group and remove the run folder.
    if (cleaning) process.exit(code);
    console.error(`\n${signal}: stopping Chromium and code-server…`);
    void cleanup().finally(() => process.exit(code));
  });
}

async function main(): Promise<number> {
  for (const built of [path.join(repoRoot, 'dist', 'extension.js'), `${suiteIndex}.js`]) {
    if (!fs.existsSync(built)) throw new Error(`${path.relative(repoRoot, built)} is missing: run \`npm run build && npm run compile-tests\` first.`);
  }
  requireChromium();
  await ensureCodeServer();

  fs.rmSync(screenshotsDir, { recursive: true, force: true });
  fs.mkdirSync(screenshotsDir, { recursive: true });
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-test-'));
  // The signal handlers above stop code-server and remove the run folder before the process exits.
  browser = await launchChromium({ ownSignalHandling: true });
  // The suite uses this as its API key; after each run no file the run wrote may contain it.
  const secret = `sk-secret-${randomBytes(12).toString('hex')}`;

  // The suite picks its tests by the workspace's trust: most need a trusted one, *.untrusted.test.js restricted mode.
  const trusted = await runSuite('trusted', true, secret);
  const untrusted = trusted.code === 0 ? await runSuite('untrusted', false, secret) : { code: 1, passed: 0, failed: 0 };
  console.log(`extension-host: ${trusted.passed + untrusted.passed} passed, ${trusted.failed + untrusted.failed} failed`);
  return trusted.code || untrusted.code;
}

interface SuiteResult {
  code: number;
  passed: number;
  failed: number;
}

/** One run of the suite in a fresh code-server, with a workspace folder that is trusted or opens in restricted mode. */
async function runSuite(name: string, trusted: boolean, secret: string): Promise<SuiteResult> {
  const dir = path.join(runDir!, name);
  const workspace = path.join(dir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const started = Date.now();
  server = await startCodeServer({
    workspaceFolder: workspace,
    runDir: path.join(dir, 'cs'),
    workspaceTrust: !trusted,
    userSettings: trusted ? {} : { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' },
    // Reaches the extension host, where test/suite/screenshot.ts and the flow tests read it.
    env: {
      WAN_TEST_SCREENSHOT_DIR: dir,
      WAN_TEST_SECRET: secret,
      // No extension gallery: the workbench would query open-vsx.org and log the failure on an offline machine.
      EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: '' }),
    },
  });
  console.log(`code-server ${CODE_SERVER_VERSION} (VS Code ${VSCODE_VERSION}) at ${server.url}, ${trusted ? 'trusted workspace' : 'workspace in restricted mode'}, log ${server.logFile}`);

  const activePage = (page = await browser!.newPage({ viewport: { width: 1600, height: 1000 } }));
  const browserLog = fs.createWriteStream(path.join(outputDir, `browser-console-${name}.log`));
  // The page keeps talking after the run's end closed the logs: a write then would crash the launcher.
  activePage.on('console', (message) => {
    if (browserLog.writable) browserLog.write(`[${message.type()}] ${message.text()}\n`);
  });
  activePage.on('pageerror', (error) => {
    if (browserLog.writable) browserLog.write(`[pageerror] ${error.stack ?? error.message}\n`);
  });

  let summary: { passed: number; failed: number } | undefined;
  // Screenshots are taken one after the other, in the order the suite asks for them.
  let screenshots = Promise.resolve();
  const requestScreenshot = (shot: string): void => {
    screenshots = screenshots.then(async () => {
      let outcome = 'ok';
      try {
        await activePage.screenshot({ path: path.join(screenshotsDir, `${shot}.png`) });
      } catch (error) {
        outcome = `page.screenshot failed: ${error instanceof Error ? error.message : String(error)}`;
        console.error(outcome);
      }
      fs.writeFileSync(path.join(dir, `screenshot-${shot}.done`), outcome);
    });
  };

  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  const workbenchLog = fs.createWriteStream(path.join(outputDir, `workbench-${name}.log`));
  let suiteStarted = false;
  await activePage.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    const text = formatLog(args);
    if (workbenchLog.writable) workbenchLog.write(`[${type}] ${text}\n`);
    suiteStarted ||= SUITE_START.test(text);
    const request = SCREENSHOT_REQUEST.exec(text);
    if (request) {
      requestScreenshot(request[1]);
      console.log(`      [screenshot] ${path.relative(process.cwd(), path.join(screenshotsDir, `${request[1]}.png`))}`);
      return;
    }
    if (GALLERY_DISABLED.test(text)) return;
    // Before the suite starts only the workbench's start-up chatter arrives, and its trace and debug lines (the suite
    // turns logging to trace) stay in the log file too.
    const chatter = type === 'trace' || type === 'debug';
    if ((suiteStarted && !chatter) || type === 'error' || type === 'warn') (type === 'error' ? console.error : console.log)(text);
    const counts = SUMMARY.exec(text);
    if (counts) summary = { passed: Number(counts[1]), failed: Number(counts[2]) };
  });
  await activePage.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));

  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${server.port}${repoRoot}`],
    ['extensionTestsPath', `vscode-remote://127.0.0.1:${server.port}${suiteIndex}`],
  ];
  const query = new URLSearchParams({ folder: workspace, payload: JSON.stringify(payload) });
  await activePage.goto(`${server.url}/?${query}`);

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const outcome = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  await screenshots;
  browserLog.end();
  workbenchLog.end();
  const counts = summary ?? { passed: 0, failed: 0 };

  if (outcome === 'timeout') {
    console.error(`Timed out: the ${name} suite did not finish within ${formatDuration(timeoutMs)} (WAN_TEST_TIMEOUT_MS overrides). Logs: test-output/workbench-${name}.log, test-output/browser-console-${name}.log, test-output/code-server-${name}.log`);
    await saveFailureScreenshot();
    copyQuietly(server.logFile, path.join(outputDir, `code-server-${name}.log`));
    return { code: 1, ...counts };
  }
  console.log(`The ${name} suite finished in ${((Date.now() - started) / 1000).toFixed(1)} s (code-server start included), exit code ${outcome}.`);
  if (outcome !== 0) await saveFailureScreenshot();

  // Stop code-server first, so every log it buffers is on disk before the search.
  await activePage.close();
  await server.stop();
  copyQuietly(server.logFile, path.join(outputDir, `code-server-${name}.log`));
  const scan = filesContaining([dir, outputDir], secret);
  if (scan.leaks.length > 0) {
    console.error(`The test API key was written to ${scan.leaks.length} file(s): ${scan.leaks.join(', ')}`);
    return { code: 1, ...counts };
  }
  // The search proves something only if the extension's own log was among the files.
  if (outcome === 0 && !scan.scanned.some((file) => path.basename(file) === 'Wan Video.log')) {
    console.error('Key check: the extension\'s log "Wan Video.log" was not found among the files the run wrote.');
    return { code: 1, ...counts };
  }
  console.log(`Key check: the test API key is in none of the ${scan.scanned.length} files the ${name} run wrote (trace-level logs, settings, storage, videos, sidecars).`);
  if (outcome === 0 && !summary) {
    console.error('The suite reported success but printed no "extension-host: N passed, N failed" line: did it run at all?');
    return { code: 1, ...counts };
  }
  if (outcome === 0 && counts.passed + counts.failed === 0) {
    console.error(`The ${name} suite ran no test.`);
    return { code: 1, ...counts };
  }
  return { code: outcome, ...counts };
}

function formatDuration(ms: number): string {
  return ms >= 60_000 ? `${+(ms / 60_000).toFixed(1)} min` : `${+(ms / 1000).toFixed(1)} s`;
}

/** The extension host's console arguments arrive unformatted (mocha's reporter passes printf-style '%s' templates). */
function formatLog(args: unknown[]): string {
  return format(...(Array.isArray(args) ? args : [args]));
}

async function saveFailureScreenshot(): Promise<void> {
  if (!page || page.isClosed()) return;
  const file = path.join(screenshotsDir, 'failure.png');
  fs.mkdirSync(screenshotsDir, { recursive: true });
  await withTimeout(page.screenshot({ path: file }), 15_000)
    .then(() => console.error(`Failure screenshot: ${path.relative(repoRoot, file)}`))
    .catch((error) => console.error(`Could not take the failure screenshot: ${error}`));
}

function withTimeout<T>(promise: Promise<T> | undefined, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    Promise.resolve(promise),
    new Promise<undefined>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

function copyQuietly(from: string, to: string): void {
  try {
    fs.copyFileSync(from, to);
  } catch {
    // Nothing to keep.
  }
}

function listScreenshots(): string[] {
  try {
    return fs.readdirSync(screenshotsDir).filter((file) => file.endsWith('.png'));
  } catch {
    return [];
  }
}

void (async () => {
  let code: number;
  try {
    code = await main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    code = 1;
  }
  if (code !== 0) await saveFailureScreenshot();
  await cleanup();
  const shots = listScreenshots();
  if (shots.length > 0) console.log(`Screenshots (${shots.length}) in ${path.relative(process.cwd(), screenshotsDir) || '.'}/: ${shots.join(', ')}`);
  process.exit(code);
})();
