// `npm start`: try the packaged extension in a real VS Code (code-server) against the local Wan test server — no key, no cost.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WanTestServer } from './server/wanServer';
import { CODE_SERVER_VERSION, ensureCodeServer, freePort, installVsix, portIsFree, startCodeServer, VSCODE_VERSION, type RunningCodeServer } from './vscode/codeServer';

const repoRoot = path.resolve(__dirname, '..', '..');
const vsix = path.join(repoRoot, 'wan-video.vsix');
const sandboxDir = path.join(os.tmpdir(), 'wan-sandbox');
const workspace = path.join(sandboxDir, 'workspace');

const SAMPLE_FILES: Record<string, string> = {
  'hello.wanprompt': '---\nresolution: 720P\nratio: 16:9\nduration: 5\n---\nA red fox running through fresh snow at dawn, cinematic\n',
  'notes.md':
    '# Notes\n\nSelect the next sentence and run "Wan: Generate Video from Selection".\n\n' +
    'A paper boat drifting down a rain-soaked street at night, neon reflections on the water.\n',
};

async function preferredPort(): Promise<number> {
  const wanted = Number(process.env.PORT) || 8080;
  if (await portIsFree(wanted)) return wanted;
  const port = await freePort();
  console.log(`Port ${wanted} is taken; using ${port} instead.`);
  return port;
}

async function main(): Promise<void> {
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm start\` (it packages the extension first).`);
  await ensureCodeServer({ needBrowser: false });

  // Fresh code-server state and extensions each time; the workspace (and anything made in it) is kept.
  for (const stale of ['code-server', 'extensions']) fs.rmSync(path.join(sandboxDir, stale), { recursive: true, force: true });
  fs.mkdirSync(workspace, { recursive: true });
  for (const [name, text] of Object.entries(SAMPLE_FILES)) {
    const file = path.join(workspace, name);
    if (!fs.existsSync(file)) fs.writeFileSync(file, text);
  }

  const wan = await WanTestServer.start({});
  // Slow enough to watch a task go from pending to running to succeeded.
  wan.defaultScript = { ...wan.defaultScript, pendingMs: 3000, runningMs: 15000 };

  const extensionsDir = path.join(sandboxDir, 'extensions');
  await installVsix(vsix, extensionsDir);

  let codeServer: RunningCodeServer | undefined;
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping code-server and the Wan test server…');
    await codeServer?.stop().catch((error) => console.error(`Could not stop code-server: ${error}`));
    await wan.close().catch((error: unknown) => console.error(`Could not stop the Wan test server: ${error}`));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  codeServer = await startCodeServer({
    workspaceFolder: workspace,
    extensionsDir,
    runDir: path.join(sandboxDir, 'code-server'),
    port: await preferredPort(),
    userSettings: { 'wan.endpoint': 'custom', 'wan.baseUrl': wan.baseUrl },
  });

  const address = `${codeServer.url}/?folder=${encodeURIComponent(workspace)}`;
  console.log(
    [
      '',
      `Wan Video sandbox: VS Code ${VSCODE_VERSION} (code-server ${CODE_SERVER_VERSION}) with the packaged extension, talking to a local Wan test server.`,
      '',
      `  Open  ${address}`,
      '',
      `  1. Run "Wan: Set API Key" from the command palette (F1). Any key works here, e.g. sk-sandbox.`,
      `  2. Open hello.wanprompt and run "Wan: Generate Video from Prompt File", or select the sentence in notes.md`,
      `     and run "Wan: Generate Video from Selection". A task stays pending ~3 s, runs ~15 s, then shows a sample video.`,
      `  For real videos: set wan.endpoint (apiyi, dashscope or dashscope-intl) and that service's real key (each video costs money).`,
      '',
      `  Wan test server: ${wan.baseUrl}   workspace: ${workspace}   code-server log: ${codeServer.logFile}`,
      '  Press Ctrl-C to stop.',
    ].join('\n'),
  );
  // Stays up until a signal arrives.
  setInterval(() => undefined, 1 << 30);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
