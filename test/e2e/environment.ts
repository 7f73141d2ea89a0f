// Everything the end-to-end flows need, started and stopped together: the Wan test server, code-server with the
// packaged extension on a free loopback port, and one Chromium context (code-server keeps secrets in the browser profile).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { WanTestServer } from '../server/wanServer';
import { png } from '../unit/media/fixtures';
import { ensureCodeServer, installVsix, launchChromium, requireChromium, startCodeServer, type RunningCodeServer } from '../vscode/codeServer';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const VSIX = path.join(REPO_ROOT, 'wan-video.vsix');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-output', 'e2e');
/** The key the test server accepts; any other is answered with 401 InvalidApiKey. */
export const API_KEY = 'sk-e2e-right-0123456789';


/**
 * The workspace a person would have open: a note with sentences to select, a prompt file with a mistake, an image to
 * animate, a clip with a prompt file that edits it, and a prompt of three takes.
 */
export const WORKSPACE_FILES: Readonly<Record<string, string | Buffer>> = {
  'notes.md': [
    '# Shot list',
    '',
    'A paper boat drifting down a rain-soaked street at night, neon reflections on the water.',
    '',
    'A crowd of masked figures storming a building, smoke everywhere.',
    '',
  ].join('\n'),
  'storm.wanprompt': ['---', 'resolution: 720P', 'ratio: 16:9', 'duration: 20', '---', 'A lighthouse in a storm, waves crashing over the rocks.', ''].join('\n'),
  'girl.png': png(640, 480),
  // 640×360: sample.mp4 (320×180) is under the 240-pixel side a clip for wan2.7-videoedit needs.
  'street.mp4': fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'readme-clip.mp4')),
  'lantern.wanprompt': ['### Lantern', '---', 'seed: 40', 'variants: 3', 'duration: 3', '---', 'A paper lantern drifting over a river at night.', ''].join('\n'),
  'street-edit.wanprompt': ['---', 'model: wan2.7-videoedit', 'video: ./street.mp4', '---', 'Turn the street into a snowy winter evening.', ''].join('\n'),
};

/** What the caller extension (agentCaller.ts) asks Wan's generate tool for, as an agent would. */
export const AGENT_INPUT = {
  prompt: 'The girl looks up from her book and waves at the camera, soft morning light.',
  model: 'wan2.7-i2v',
  params: { duration: 5, seed: 4242 },
  media: [{ type: 'first_frame', path: 'girl.png' }],
} as const;

/** The caller extension's manifest; its command is what a person runs from the palette. */
const AGENT_CALLER_MANIFEST = {
  name: 'agent-caller',
  displayName: 'Agent Caller (test fixture)',
  description: 'Calls Wan Video\'s generate tool as another extension would.',
  publisher: 'wan-e2e',
  version: '0.0.1',
  license: 'MIT',
  engines: { vscode: '^1.100.0' },
  main: './extension.js',
  activationEvents: ['onCommand:agentCaller.askForVideo'],
  contributes: { commands: [{ command: 'agentCaller.askForVideo', title: 'Ask Wan for a Video', category: 'Agent Caller' }] },
};

export interface Environment {
  wan: WanTestServer;
  codeServer: RunningCodeServer;
  browser: Browser;
  page: Page;
  workspace: string;
  /** The address that opens the workspace in the workbench. */
  url: string;
  /** The caller extension's results so far, oldest first (see agentCaller.ts). */
  agentCalls(): string[];
  stop(): Promise<void>;
}

export interface EnvironmentOptions {
  /** Emptied first; receives the logs of code-server and the browser (default: the suite's {@link SCREENSHOT_DIR}). */
  outputDir?: string;
  /** The clip the test server gives for every task (default: test/fixtures/sample.mp4). */
  video?: Buffer;
  /** The files of the workspace (default: {@link WORKSPACE_FILES}). */
  workspaceFiles?: Readonly<Record<string, string | Buffer>>;
  /** User settings on top of the ones the flows need. */
  userSettings?: Record<string, unknown>;
}

export async function startEnvironment(options: EnvironmentOptions = {}): Promise<Environment> {
  if (!fs.existsSync(VSIX)) throw new Error(`${path.relative(REPO_ROOT, VSIX)} is missing: run \`npm run package\` first (npm run test:e2e does).`);
  requireChromium();
  await ensureCodeServer();
  const outputDir = options.outputDir ?? SCREENSHOT_DIR;
  fs.rmSync(outputDir, { recursive: true, force: true });
  fs.mkdirSync(outputDir, { recursive: true });

  // Short on purpose: code-server puts unix sockets under this folder.
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-e2e-'));
  let wan: WanTestServer | undefined;
  let codeServer: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  // Once only: a signal and the suite's own end may both ask.
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await browser?.close().catch(() => undefined);
      if (codeServer) {
        fs.copyFileSync(codeServer.logFile, path.join(outputDir, 'code-server.log'));
        await codeServer.stop();
      }
      await wan?.close();
      fs.rmSync(runDir, { recursive: true, force: true });
    })());

  try {
    const workspace = path.join(runDir, 'workspace');
    fs.mkdirSync(workspace);
    for (const [name, text] of Object.entries(options.workspaceFiles ?? WORKSPACE_FILES)) fs.writeFileSync(path.join(workspace, name), text);

    wan = await WanTestServer.start({ apiKey: API_KEY, video: options.video });
    const extensionsDir = path.join(runDir, 'extensions');
    await installVsix(VSIX, extensionsDir);
    await installVsix(await packageAgentCaller(path.join(runDir, 'agent-caller')), extensionsDir);
    const agentCallsFile = path.join(runDir, 'agent-calls.jsonl');
    codeServer = await startCodeServer({
      workspaceFolder: workspace,
      extensionsDir,
      runDir: path.join(runDir, 'cs'),
      // No extension gallery: the workbench would query open-vsx.org and log the failure on an offline machine.
      env: { EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: '' }), WAN_E2E_CALLER_INPUT: JSON.stringify(AGENT_INPUT), WAN_E2E_CALLER_OUT: agentCallsFile },
      userSettings: {
        'wan.endpoint': 'custom',
        'wan.baseUrl': wan.baseUrl,
        // code-server would announce the test server's port in a notification of its own.
        'remote.autoForwardPorts': false,
        ...options.userSettings,
      },
    });

    // The suite handles signals itself (flows.test.ts), stopping code-server first.
    browser = await launchChromium({ ownSignalHandling: true });
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    const browserLog = fs.createWriteStream(path.join(outputDir, 'browser-console.log'));
    page.on('console', (message) => browserLog.write(`[${message.type()}] ${message.text()}\n`));
    page.on('pageerror', (error) => browserLog.write(`[pageerror] ${error.stack ?? error.message}\n`));
    browser.on('disconnected', () => browserLog.end());

    const url = `${codeServer.url}/?${new URLSearchParams({ folder: workspace })}`;
    const agentCalls = () => (fs.existsSync(agentCallsFile) ? fs.readFileSync(agentCallsFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as string) : []);
    return { wan, codeServer, browser, page, workspace, url, agentCalls, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** The caller extension as a .vsix: its manifest and its compiled agentCaller.ts, packaged by vsce. */
async function packageAgentCaller(folder: string): Promise<string> {
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify(AGENT_CALLER_MANIFEST, null, 2));
  fs.copyFileSync(path.join(__dirname, 'agentCaller.js'), path.join(folder, 'extension.js'));
  fs.writeFileSync(path.join(folder, 'README.md'), '# Agent Caller\n\nA test fixture of the end-to-end suite.\n');
  fs.writeFileSync(path.join(folder, 'LICENSE'), 'MIT\n');
  const packagePath = `${folder}.vsix`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- vsce ships no types for its API
  const vsce = require('@vscode/vsce') as { createVSIX(options: object): Promise<unknown> };
  await vsce.createVSIX({ cwd: folder, packagePath, dependencies: false, allowMissingRepository: true });
  return packagePath;
}
