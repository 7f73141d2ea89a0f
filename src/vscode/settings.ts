// The one reader of the `wan.*` settings: their names, their values checked with the same rules the client uses, and
// a word to the user as soon as an edit breaks a rule.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { checkBaseUrl, checkWorkspaceId, ENDPOINT_BASE_URLS, workspaceBaseUrl, WORKSPACE_REGIONS, type EndpointId, type WorkspaceRegion } from '../wan/endpoints';
import { loadPromptParser } from '../bundles/loader';
import type { ParamField } from '../wan/params';
import type { PriceOverrides, SpendSettings } from '../tasks/costs';
import type { TaskSource } from '../tasks/taskRecord';
import { SettingsError, showError } from './errorMessages';
import { autoApproves } from '../agent/userSay';

export interface Endpoint {
  id: EndpointId;
  baseUrl: string;
}

const SECTION = 'wan';

/** Every setting the extension reads (package.json declares them). */
export const SETTINGS = {
  endpoint: 'wan.endpoint',
  baseUrl: 'wan.baseUrl',
  /** The group of the two workspace settings below, as the Settings editor opens it. */
  workspace: 'wan.workspace',
  workspaceId: 'wan.workspace.id',
  workspaceRegion: 'wan.workspace.region',
  model: 'wan.model',
  /** The model of Generate Video from Image. */
  imageModel: 'wan.imageModel',
  /** The model of Edit Video. */
  videoEditModel: 'wan.videoEditModel',
  /** The group of the generation defaults below, as the Settings editor opens it. */
  defaults: 'wan.defaults',
  resolution: 'wan.defaults.resolution',
  ratio: 'wan.defaults.ratio',
  duration: 'wan.defaults.duration',
  promptExtend: 'wan.defaults.promptExtend',
  watermark: 'wan.defaults.watermark',
  negativePrompt: 'wan.defaults.negativePrompt',
  seed: 'wan.defaults.seed',
  outputFolder: 'wan.outputFolder',
  /** Where Keep copies (or moves) the kept take; empty: it stays where it is. */
  keptFolder: 'wan.keptFolder',
  keptFolderAction: 'wan.keptFolderAction',
  codeLensEnabled: 'wan.codeLens.enabled',
  openPreviewOnSuccess: 'wan.openPreviewOnSuccess',
  previewSoundtrack: 'wan.preview.soundtrack',
  prices: 'wan.prices',
  confirmCostAbove: 'wan.confirmCostAbove',
  budgetDaily: 'wan.budget.daily',
  /** Whether agents (Copilot's agent mode, other extensions) get the two Language Model Tools. */
  agentToolsEnabled: 'wan.agentTools.enabled',
} as const;

export type SettingName = (typeof SETTINGS)[keyof typeof SETTINGS];

/** The Settings editor's filter that shows every setting of the extension. */
export const ALL_SETTINGS = `${SECTION}.`;

const ENDPOINT_IDS: readonly EndpointId[] = ['apiyi', 'dashscope', 'dashscope-intl', 'workspace', 'custom'];

function read<T>(setting: SettingName): T | undefined;
function read<T>(setting: SettingName, fallback: T): T;
function read<T>(setting: SettingName, fallback?: T): T | undefined {
  return vscode.workspace.getConfiguration().get<T>(setting, fallback as T);
}

/** Calls `listener` after an edit to any of `settings`. */
export function onDidChangeSettings(settings: readonly SettingName[], listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (settings.some((setting) => e.affectsConfiguration(setting))) listener();
  });
}

/** The value of an enum setting, refused when it is none of `allowed` (VS Code only warns in the settings file). */
function readChoice<T extends string>(setting: SettingName, fallback: T, allowed: readonly T[]): T {
  const value = read<string>(setting, fallback) as T;
  if (!allowed.includes(value)) {
    throw new SettingsError(vscode.l10n.t('The setting {0} is "{1}"; allowed: {2}.', setting, value, allowed.join(', ')), setting);
  }
  return value;
}

/** The endpoint new tasks go to; throws SettingsError naming the setting to fix. */
export function readEndpoint(): Endpoint {
  const id = readChoice<EndpointId>(SETTINGS.endpoint, 'apiyi', ENDPOINT_IDS);
  if (id === 'workspace') return { id, baseUrl: readWorkspaceBaseUrl() };
  if (id !== 'custom') return { id, baseUrl: ENDPOINT_BASE_URLS[id] };
  const raw = read<string>(SETTINGS.baseUrl, '').trim();
  if (!raw) {
    throw new SettingsError(vscode.l10n.t('wan.endpoint is "custom" but wan.baseUrl is empty: set the base URL of the service, for example https://example.com/api/v1.'), SETTINGS.baseUrl);
  }
  const checked = checkBaseUrl(raw);
  if ('problem' in checked) throw new SettingsError(vscode.l10n.t('{0}: {1}', SETTINGS.baseUrl, checked.problem), SETTINGS.baseUrl);
  return { id, baseUrl: checked.url };
}

function readWorkspaceBaseUrl(): string {
  const region = readChoice<WorkspaceRegion>(SETTINGS.workspaceRegion, 'cn-beijing', WORKSPACE_REGIONS);
  const checked = checkWorkspaceId(read<string>(SETTINGS.workspaceId, ''));
  if ('problem' in checked) throw new SettingsError(vscode.l10n.t('{0}: {1}', SETTINGS.workspaceId, checked.problem), SETTINGS.workspaceId);
  return workspaceBaseUrl(checked.id, region);
}

/** The setting of each generation default, by its API parameter name. */
const DEFAULT_SETTINGS: [ParamField, SettingName][] = [
  ['model', SETTINGS.model],
  ['resolution', SETTINGS.resolution],
  ['ratio', SETTINGS.ratio],
  ['duration', SETTINGS.duration],
  ['prompt_extend', SETTINGS.promptExtend],
  ['watermark', SETTINGS.watermark],
  ['negative_prompt', SETTINGS.negativePrompt],
  ['seed', SETTINGS.seed],
];

/** What the user set, in any scope; undefined where the setting is left at its default. */
function userValue(setting: SettingName): unknown {
  const inspected = vscode.workspace.getConfiguration().inspect<unknown>(setting);
  return inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
}

/**
 * The generation defaults the user set, as API parameter names; every bad value is reported. A setting left at its
 * default is not read: each model's row says what it sends by default (Wan 3.0 sends no ratio unless asked).
 */
export function readDefaults(): Partial<Record<ParamField, unknown>> {
  const { checkSetting } = loadPromptParser();
  const values: Partial<Record<ParamField, unknown>> = {};
  const problems: { setting: string; message: string }[] = [];
  for (const [field, setting] of DEFAULT_SETTINGS) {
    const value = userValue(setting);
    // An empty negative prompt and a null seed are the settings' way of saying "none".
    if (value === undefined || value === null || value === '') continue;
    const checked = checkSetting(field, value);
    if ('problem' in checked) problems.push({ setting, message: vscode.l10n.t('{0}: {1}', setting, checked.problem) });
    else values[field] = checked.value;
  }
  if (problems.length > 0) throw new SettingsError(problems.map((p) => p.message).join(' '), problems[0].setting);
  return values;
}

/** The model of a prompt file that names none. */
export function defaultModel(): string {
  const { DEFAULT_MODEL } = loadPromptParser();
  return read<string>(SETTINGS.model, DEFAULT_MODEL) || DEFAULT_MODEL;
}

/** The model Generate Video from Image submits with. */
export function imageModel(): string {
  return readChoice(SETTINGS.imageModel, 'wan2.7-i2v', ['wan2.7-i2v', 'wan3.0-video', 'wan3.0-video-prime']);
}

/** The model Edit Video submits with. */
export function videoEditModel(): string {
  return readChoice(SETTINGS.videoEditModel, 'wan2.7-videoedit', ['wan2.7-videoedit', 'wan3.0-video', 'wan3.0-video-prime']);
}

export function codeLensEnabled(): boolean {
  return read<boolean>(SETTINGS.codeLensEnabled, true);
}

export function agentToolsEnabled(): boolean {
  return read<boolean>(SETTINGS.agentToolsEnabled, true);
}

/** VS Code's own `chat.tools.autoApprove` approves the tool, so chat runs it without showing its confirmation. */
export function toolAutoApproved(toolName: string): boolean {
  return autoApproves(vscode.workspace.getConfiguration('chat').get('tools.autoApprove'), toolName);
}

export function openPreviewOnSuccess(): boolean {
  return read<boolean>(SETTINGS.openPreviewOnSuccess, true);
}

/** `auto`: convert AAC sound where the host cannot decode it; `convert`: always; `original`: never. */
export type SoundtrackChoice = 'auto' | 'convert' | 'original';

const SOUNDTRACK_CHOICES: readonly SoundtrackChoice[] = ['auto', 'convert', 'original'];

/** How the preview plays a video's sound; a value it does not know is read as the default (the preview never fails on it). */
export function previewSoundtrack(): SoundtrackChoice {
  const value = read<string>(SETTINGS.previewSoundtrack, 'auto');
  return SOUNDTRACK_CHOICES.find((choice) => choice === value) ?? 'auto';
}

/** wan.prices: the user's own prices per endpoint, model and resolution; throws SettingsError on one that cannot be read. */
export function readPriceOverrides(): PriceOverrides {
  const checked = loadPromptParser().checkPriceOverrides(read<unknown>(SETTINGS.prices));
  if ('problem' in checked) throw new SettingsError(checked.problem, SETTINGS.prices);
  return checked.overrides;
}

/** wan.confirmCostAbove and wan.budget.daily, per currency. */
export function readSpendSettings(): SpendSettings {
  const { checkCurrencyAmounts } = loadPromptParser();
  const amounts = (setting: SettingName) => {
    const checked = checkCurrencyAmounts(setting, read<unknown>(setting));
    if ('problem' in checked) throw new SettingsError(checked.problem, setting);
    return checked.amounts;
  };
  return { confirmAbove: amounts(SETTINGS.confirmCostAbove), dailyBudget: amounts(SETTINGS.budgetDaily) };
}

/** Where a task's video goes: wan.outputFolder, else wan-videos/ in the prompt's workspace folder, else extension storage. */
export function outputFolderFor(source: TaskSource, globalStorage: vscode.Uri): string {
  const folder = source.workspaceFolder
    ? vscode.Uri.parse(source.workspaceFolder).fsPath
    : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const configured = read<string>(SETTINGS.outputFolder, '').trim();
  if (configured) {
    if (path.isAbsolute(configured)) return configured;
    return path.join(folder ?? globalStorage.fsPath, configured);
  }
  return folder ? path.join(folder, 'wan-videos') : path.join(globalStorage.fsPath, 'videos');
}

/** The folders the videos of tasks from these sources are saved to (wan.outputFolder) and kept in (wan.keptFolder). */
export function videoFolders(sources: readonly TaskSource[], globalStorage: vscode.Uri): string[] {
  const folders = sources.flatMap((source) => [outputFolderFor(source, globalStorage), keptFolderFor(source)?.folder]);
  return [...new Set(folders.filter((folder) => folder !== undefined))];
}

/** Where Keep puts the kept take and whether it moves it there (else copies it); undefined when wan.keptFolder is empty. */
export function keptFolderFor(source: TaskSource): { folder: string; move: boolean } | undefined {
  const configured = read<string>(SETTINGS.keptFolder, '').trim();
  if (!configured) return undefined;
  const base = source.workspaceFolder ? vscode.Uri.parse(source.workspaceFolder).fsPath : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!path.isAbsolute(configured) && !base) return undefined;
  const folder = path.isAbsolute(configured) ? configured : path.join(base!, configured);
  return { folder, move: read<string>(SETTINGS.keptFolderAction, 'copy') === 'move' };
}

/** Says at once when an edited setting breaks a rule, not at the next generate. */
export class SettingsCheck extends Disposable {
  constructor() {
    super();
    this._register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      try {
        readEndpoint();
        readDefaults();
        readPriceOverrides();
        readSpendSettings();
      } catch (error) {
        showError(error, { action: vscode.l10n.t('A Wan Video setting is invalid') });
      }
    }));
  }
}
