// code-server (VS Code's workbench and Node extension host served to a browser): pinned install, isolated start, clean stop.
// Facts behind the choices here: /work/shared/real-vscode.md.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** The newest code-server that runs on Node 20. */
export const CODE_SERVER_VERSION = '4.100.3';
/** The VS Code build code-server 4.100.3 embeds. */
export const VSCODE_VERSION = '1.100.3';

/** Written last by a successful install; without it the cache folder is reinstalled from scratch. */
const MARKER = 'wan-install-complete';
/** @vscode/ripgrep's postinstall (the version code-server 4.100.3 pulls in) looks here before downloading rg from GitHub. */
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';

const CHROMIUM_PATH = '/usr/bin/chromium';
/** Flags for Debian's Chromium on this closed network (real-vscode.md): no sandbox as root, no background traffic. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as string[];

export function codeServerCacheDir(): string {
  if (process.env.WAN_CODE_SERVER_CACHE) return path.resolve(process.env.WAN_CODE_SERVER_CACHE);
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'wan-video', `code-server-${CODE_SERVER_VERSION}`);
}

function codeServerEntry(dir: string): string {
  return path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

interface Prerequisite {
  what: string;
  debianPackage: string;
  present: () => boolean;
}

const INSTALL_PREREQUISITES: Prerequisite[] = [
  { what: 'rg (ripgrep)', debianPackage: 'ripgrep', present: () => fs.existsSync('/usr/bin/rg') },
  { what: 'a C/C++ compiler and make', debianPackage: 'build-essential', present: () => onPath('cc') && onPath('c++') && onPath('make') },
  { what: 'python3 (node-gyp)', debianPackage: 'python3', present: () => onPath('python3') },
  { what: 'pkg-config', debianPackage: 'pkg-config', present: () => onPath('pkg-config') },
  {
    what: 'Kerberos/GSSAPI headers (code-server\'s "kerberos" module)',
    debianPackage: 'libkrb5-dev',
    present: () => onPath('krb5-config') && fs.existsSync('/usr/include/gssapi/gssapi.h'),
  },
];

const BROWSER_PREREQUISITE: Prerequisite = {
  what: `Chromium (${CHROMIUM_PATH})`,
  debianPackage: 'chromium',
  present: () => fs.existsSync(CHROMIUM_PATH),
};

function failOnMissing(prerequisites: Prerequisite[], purpose: string): void {
  const missing = prerequisites.filter((p) => !p.present());
  if (missing.length === 0) return;
  const packages = missing.map((p) => p.debianPackage).join(' ');
  throw new Error(
    `${purpose} needs ${missing.map((p) => p.what).join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} missing.\n` +
      `Install the Debian package${missing.length === 1 ? '' : 's'}: apt-get install -y --no-install-recommends ${packages}`,
  );
}

/** Throws a message naming the Debian package when Chromium is not installed. */
export function requireChromium(): void {
  failOnMissing([BROWSER_PREREQUISITE], 'Running the extension tests in a browser');
}

export interface LaunchOptions {
  /**
   * The caller stops Chromium and code-server on SIGINT, SIGTERM and SIGHUP itself: Playwright's own handlers, which
   * would exit the process before code-server is stopped, stay off.
   */
  ownSignalHandling?: boolean;
}

/** Debian's Chromium, headless, with {@link CHROMIUM_ARGS}. */
export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const playwrightHandlesSignals = !options.ownSignalHandling;
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    handleSIGINT: playwrightHandlesSignals,
    handleSIGTERM: playwrightHandlesSignals,
    handleSIGHUP: playwrightHandlesSignals,
  });
}

export interface EnsureOptions {
  /** Also require Chromium (the test launcher drives the workbench with it). Default true. */
  needBrowser?: boolean;
  log?: (line: string) => void;
}

/**
 * Installs code-server 4.100.3 into its own cache folder on first use and returns the path of its entry script
 * (run it with `node`). Reuses a complete install; redoes a half one.
 */
export async function ensureCodeServer(options: EnsureOptions = {}): Promise<string> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (options.needBrowser ?? true) requireChromium();
  const dir = codeServerCacheDir();
  const entry = codeServerEntry(dir);
  if (isInstalled(dir)) return entry;

  failOnMissing(INSTALL_PREREQUISITES, `Installing code-server ${CODE_SERVER_VERSION}`);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const releaseLock = await acquireLock(`${dir}.lock`, log);
  try {
    // Another process may have finished the install while we waited for the lock.
    if (isInstalled(dir)) return entry;
    await install(dir, log);
    return entry;
  } finally {
    releaseLock();
  }
}

function isInstalled(dir: string): boolean {
  try {
    return fs.readFileSync(path.join(dir, MARKER), 'utf8').trim() === CODE_SERVER_VERSION && fs.existsSync(codeServerEntry(dir));
  } catch {
    return false;
  }
}

async function install(dir: string, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-cs-install-'));
  const logFile = path.join(dir, 'install.log');
  log(`Installing code-server ${CODE_SERVER_VERSION} (VS Code ${VSCODE_VERSION}) into ${dir} — first use only, about a minute…`);
  try {
    seedRipgrepCache(tmp);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TMPDIR: tmp,
      // We may run as root: code-server's postinstall refuses to run unsafe-perm=false.
      npm_config_unsafe_perm: 'true',
      // Its postinstall runs `npx node-gyp`; this machine's npm config says yes=false.
      npm_config_yes: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
      npm_config_loglevel: 'warn',
    };
    const out = fs.openSync(logFile, 'w');
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn('npm', ['install', '--prefix', dir, `code-server@${CODE_SERVER_VERSION}`], {
        env,
        stdio: ['ignore', out, out],
      });
      child.on('error', reject);
      child.on('exit', (status, signal) => resolve(status ?? (signal ? 128 : 1)));
    });
    fs.closeSync(out);
    if (code !== 0 || !fs.existsSync(codeServerEntry(dir))) {
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
      throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${code}). Last lines of ${logFile}:\n${tail}`);
    }
    fs.writeFileSync(path.join(dir, MARKER), `${CODE_SERVER_VERSION}\n`);
    log(`code-server ${CODE_SERVER_VERSION} installed in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Puts Debian's rg where @vscode/ripgrep's postinstall looks before it tries GitHub, which this machine cannot reach. */
function seedRipgrepCache(tmp: string): void {
  const target = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' }[process.arch as 'x64' | 'arm64'];
  if (!target) throw new Error(`Unsupported architecture for the ripgrep seed: ${process.arch}`);
  const cache = path.join(tmp, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  fs.mkdirSync(cache, { recursive: true });
  const tarball = path.join(cache, `ripgrep-${RIPGREP_RELEASE}-${target}.tar.gz`);
  const result = spawnSync('tar', ['czf', tarball, '-C', '/usr/bin', 'rg'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`Could not pack /usr/bin/rg for @vscode/ripgrep: ${result.stderr}`);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock folder, so that two runs starting at once do not install into the same folder together. */
async function acquireLock(lockDir: string, log: (line: string) => void): Promise<() => void> {
  const deadline = Date.now() + 15 * 60_000;
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(readOr(path.join(lockDir, 'pid'), ''));
    if (owner && !pidAlive(owner)) {
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for another code-server install to finish (lock ${lockDir}).`);
    if (!announced) log(`Waiting for another process (pid ${owner || '?'}) that is installing code-server…`);
    announced = true;
    await sleep(1000);
  }
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Settings that keep the workbench from opening welcome pages, trust prompts, tips and update checks. */
export const QUIET_USER_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.tips.enabled': false,
  'update.mode': 'none',
};

/** A loopback port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Whether `port` can be bound on loopback right now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export interface StartOptions {
  workspaceFolder: string;
  /** Added to code-server's environment; it reaches the extension host. */
  env?: NodeJS.ProcessEnv;
  /** Merged over {@link QUIET_USER_SETTINGS}. */
  userSettings?: Record<string, unknown>;
  /** Defaults to an empty folder inside the run folder. */
  extensionsDir?: string;
  /** Defaults to a free loopback port. */
  port?: number;
  /** Folder for everything code-server writes; created (and removed by stop()) when not given. */
  runDir?: string;
  /** Keep VS Code's workspace trust on, so a folder can open in restricted mode (off by default). */
  workspaceTrust?: boolean;
}

export interface RunningCodeServer {
  url: string;
  port: number;
  runDir: string;
  /** code-server's stdout and stderr. */
  logFile: string;
  /** Kills code-server's whole process group (it and every extension host it started). */
  stop(): Promise<void>;
}

/** Process groups started here that are still alive; killed on exit even when the launcher forgets or crashes. */
const liveGroups = new Set<number>();
process.on('exit', () => {
  for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
});

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The folders and flags that keep a code-server away from the user's own settings, extensions and sockets. */
function isolation(runDir: string, extensionsDir: string): { env: NodeJS.ProcessEnv; args: string[] } {
  const dirs = {
    tmp: path.join(runDir, 't'),
    config: path.join(runDir, 'xdg-config'),
    data: path.join(runDir, 'xdg-data'),
    userData: path.join(runDir, 'user-data'),
  };
  for (const dir of [...Object.values(dirs), extensionsDir]) fs.mkdirSync(dir, { recursive: true });
  const configFile = path.join(runDir, 'config.yaml');
  if (!fs.existsSync(configFile)) fs.writeFileSync(configFile, '');
  return {
    env: { TMPDIR: dirs.tmp, XDG_CONFIG_HOME: dirs.config, XDG_DATA_HOME: dirs.data },
    args: ['--config', configFile, '--user-data-dir', dirs.userData, '--extensions-dir', extensionsDir],
  };
}

function newRunDir(): string {
  // Short on purpose: code-server puts unix sockets under TMPDIR, whose paths must stay under ~107 characters.
  return fs.mkdtempSync(path.join(os.tmpdir(), 'wan-cs-'));
}

export async function startCodeServer(options: StartOptions): Promise<RunningCodeServer> {
  const entry = await ensureCodeServer({ needBrowser: false });
  const ownRunDir = !options.runDir;
  const runDir = options.runDir ?? newRunDir();
  fs.mkdirSync(runDir, { recursive: true });
  const extensionsDir = options.extensionsDir ?? path.join(runDir, 'extensions');
  const { env: isolatedEnv, args: isolatedArgs } = isolation(runDir, extensionsDir);

  const userDir = path.join(runDir, 'user-data', 'User');
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify({ ...QUIET_USER_SETTINGS, ...options.userSettings }, null, 2));

  const port = options.port ?? (await freePort());
  const logFile = path.join(runDir, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  const args = [
    entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...isolatedArgs,
    options.workspaceFolder,
  ];
  // detached = setsid: its own process group, so stop() can kill it with every extension host it forks.
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...options.env, ...isolatedEnv },
    detached: true,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const pgid = child.pid;
  if (pgid === undefined) throw new Error('code-server did not start (no pid).');
  liveGroups.add(pgid);
  child.unref();

  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = signal ? `signal ${signal}` : `code ${code}`;
  });

  const stop = async (): Promise<void> => {
    if (liveGroups.has(pgid)) {
      killGroup(pgid, 'SIGTERM');
      const deadline = Date.now() + 5000;
      while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
      if (groupAlive(pgid)) killGroup(pgid, 'SIGKILL');
      while (groupAlive(pgid)) await sleep(50);
      liveGroups.delete(pgid);
    }
    if (ownRunDir) fs.rmSync(runDir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await healthy(url))) {
    if (exited || Date.now() > deadline) {
      const tail = readOr(logFile, '').split('\n').slice(-30).join('\n');
      await stop().catch(() => undefined);
      throw new Error(
        `code-server ${exited ? `exited (${exited})` : 'did not answer /healthz within 60 s'} on port ${port}. Its log:\n${tail}`,
      );
    }
    await sleep(200);
  }
  return { url, port, runDir, logFile, stop };
}

function healthy(baseUrl: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(`${baseUrl}/healthz`, { timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/** Installs a .vsix into `extensionsDir` with code-server's own CLI (`--install-extension --force`). */
export async function installVsix(vsixPath: string, extensionsDir: string): Promise<void> {
  const entry = await ensureCodeServer({ needBrowser: false });
  if (!fs.existsSync(vsixPath)) throw new Error(`No such package: ${vsixPath}`);
  const runDir = newRunDir();
  try {
    const { env, args } = isolation(runDir, path.resolve(extensionsDir));
    const result = spawnSync(process.execPath, [entry, ...args, '--install-extension', path.resolve(vsixPath), '--force'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (result.status !== 0) {
      throw new Error(`code-server --install-extension ${vsixPath} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}${result.stderr}`);
    }
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}
