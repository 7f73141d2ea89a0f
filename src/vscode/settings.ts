// Reads the `wan.*` settings and checks them with the same rules the client uses.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkBaseUrl, ENDPOINT_BASE_URLS, type EndpointId } from '../wan/endpoints';
import { checkParam, type ParamField } from '../wan/params';
import type { TaskSource } from '../tasks/taskRecord';

export interface Endpoint {
  id: EndpointId;
  baseUrl: string;
}

export class SettingsError extends Error {
  constructor(message: string, readonly setting: string) {
    super(message);
  }
}

const ENDPOINT_IDS: readonly EndpointId[] = ['apiyi', 'dashscope', 'dashscope-intl', 'custom'];

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('wan');
}

/** The endpoint new tasks go to; throws SettingsError naming the setting to fix. */
export function readEndpoint(): Endpoint {
  const id = config().get<string>('endpoint', 'apiyi') as EndpointId;
  if (!ENDPOINT_IDS.includes(id)) {
    throw new SettingsError(vscode.l10n.t('The setting wan.endpoint is "{0}"; allowed: {1}.', id, ENDPOINT_IDS.join(', ')), 'wan.endpoint');
  }
  if (id !== 'custom') return { id, baseUrl: ENDPOINT_BASE_URLS[id] };
  const raw = config().get<string>('baseUrl', '').trim();
  if (!raw) {
    throw new SettingsError(vscode.l10n.t('wan.endpoint is "custom" but wan.baseUrl is empty: set the base URL of the service, for example https://example.com/api/v1.'), 'wan.baseUrl');
  }
  const checked = checkBaseUrl(raw);
  if ('problem' in checked) throw new SettingsError(vscode.l10n.t('{0}: {1}', 'wan.baseUrl', checked.problem), 'wan.baseUrl');
  return { id, baseUrl: checked.url };
}

/** The generation defaults from settings, as API parameter names; every bad value is reported. */
export function readDefaults(): Partial<Record<ParamField, unknown>> {
  const c = config();
  const raw: [ParamField, string, unknown][] = [
    ['model', 'model', c.get('model')],
    ['resolution', 'defaults.resolution', c.get('defaults.resolution')],
    ['ratio', 'defaults.ratio', c.get('defaults.ratio')],
    ['duration', 'defaults.duration', c.get('defaults.duration')],
    ['prompt_extend', 'defaults.promptExtend', c.get('defaults.promptExtend')],
    ['watermark', 'defaults.watermark', c.get('defaults.watermark')],
    ['negative_prompt', 'defaults.negativePrompt', c.get('defaults.negativePrompt') || undefined],
    ['seed', 'defaults.seed', c.get('defaults.seed') ?? undefined],
  ];
  const values: Partial<Record<ParamField, unknown>> = {};
  const problems: { setting: string; message: string }[] = [];
  for (const [field, setting, value] of raw) {
    if (value === undefined || value === null || value === '') continue;
    const checked = checkParam(field, value);
    if ('problem' in checked) problems.push({ setting: `wan.${setting}`, message: vscode.l10n.t('{0}: {1}', `wan.${setting}`, checked.problem) });
    else values[field] = checked.value;
  }
  if (problems.length > 0) throw new SettingsError(problems.map((p) => p.message).join(' '), problems[0].setting);
  return values;
}

export function openPreviewOnSuccess(): boolean {
  return config().get<boolean>('openPreviewOnSuccess', true);
}

/** Where a task's video goes: wan.outputFolder, else wan-videos/ in the prompt's workspace folder, else extension storage. */
export function outputFolderFor(source: TaskSource, globalStorage: vscode.Uri): string {
  const folder = source.workspaceFolder
    ? vscode.Uri.parse(source.workspaceFolder).fsPath
    : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const configured = config().get<string>('outputFolder', '').trim();
  if (configured) {
    if (path.isAbsolute(configured)) return configured;
    return path.join(folder ?? globalStorage.fsPath, configured);
  }
  return folder ? path.join(folder, 'wan-videos') : path.join(globalStorage.fsPath, 'videos');
}
