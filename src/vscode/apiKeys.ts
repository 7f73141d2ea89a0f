// The API keys, one per endpoint, in VS Code's SecretStorage: never in settings, never logged.
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { KeyringError } from './errorMessages';
import { onDidChangeSettings, readEndpoint, SETTINGS, type Endpoint } from './settings';
import { errorMessage } from '../common/text';
import { workspaceOf } from '../wan/endpoints';

const ENV_FALLBACK = 'DASHSCOPE_API_KEY';
const SECRET_PREFIX = 'wan.apiKey.';
/** True when the endpoint in the settings has a key; the Tasks view's welcome offers to set one while it is false. */
const HAS_KEY_CONTEXT = 'wan.hasApiKey';

export class ApiKeys extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** Fires when a key changes here or in another window. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {
    super();
    this._register(secrets.onDidChange((e) => {
      if (e.key.startsWith(SECRET_PREFIX)) this.changed.fire();
    }));
    this._register(this.onDidChange(() => void this.updateKeyContext()));
    this._register(onDidChangeSettings([SETTINGS.endpoint, SETTINGS.baseUrl, SETTINGS.workspace], () => void this.updateKeyContext()));
    void this.updateKeyContext();
  }

  /** The stored key, or for Alibaba's own endpoints the DASHSCOPE_API_KEY environment variable. */
  async get(endpoint: Endpoint): Promise<string | undefined> {
    const stored = await this.guard(() => this.secrets.get(secretName(endpoint)));
    if (stored) return stored;
    if (endpoint.id === 'dashscope' || endpoint.id === 'dashscope-intl' || endpoint.id === 'workspace') return process.env[ENV_FALLBACK] || undefined;
    return undefined;
  }

  async set(endpoint: Endpoint, key: string): Promise<void> {
    await this.guard(() => this.secrets.store(secretName(endpoint), key));
  }

  async delete(endpoint: Endpoint): Promise<void> {
    await this.guard(() => this.secrets.delete(secretName(endpoint)));
  }

  /** Asks for the key in a password box; undefined when the user pressed Escape. */
  async ask(endpoint: Endpoint): Promise<string | undefined> {
    const host = new URL(endpoint.baseUrl).host;
    const region = workspaceOf(host)?.region;
    const kept = vscode.l10n.t('The key is kept in VS Code\'s secret storage and sent only to {0}.', host);
    const key = await vscode.window.showInputBox({
      title: vscode.l10n.t('Wan API key for {0}', describeEndpoint(endpoint)),
      prompt: region ? vscode.l10n.t('Use an API key of the workspace\'s region, {0}, from the Model Studio console. {1}', region, kept) : kept,
      placeHolder: 'sk-…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Enter the API key, or press Escape to cancel.')),
    });
    const trimmed = key?.trim();
    if (!trimmed) return undefined;
    await this.set(endpoint, trimmed);
    return trimmed;
  }

  private async updateKeyContext(): Promise<void> {
    let hasKey = false;
    try {
      hasKey = Boolean(await this.get(readEndpoint()));
    } catch {
      // A bad endpoint setting or an unusable keyring: the welcome view offers to set the key.
    }
    await vscode.commands.executeCommand('setContext', HAS_KEY_CONTEXT, hasKey);
  }

  private async guard<T>(action: () => Thenable<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      const detail = errorMessage(error);
      throw new KeyringError(vscode.l10n.t(
        'VS Code could not use the system keyring to keep the API key ({0}). On Linux, install and unlock a keyring such as gnome-keyring, or start VS Code with --password-store=basic (see "Troubleshooting" in the README).',
        detail,
      ));
    }
  }
}

/**
 * Keys are kept apart per endpoint, and per address for custom and workspace ones (a workspace's address names its id and
 * region), so a key never reaches another service.
 */
function secretName(endpoint: Endpoint): string {
  return endpoint.id === 'custom' || endpoint.id === 'workspace'
    ? `${SECRET_PREFIX}${endpoint.id}:${new URL(endpoint.baseUrl).origin}`
    : `${SECRET_PREFIX}${endpoint.id}`;
}

export function describeEndpoint(endpoint: Endpoint): string {
  switch (endpoint.id) {
    case 'apiyi': return 'APIYI';
    case 'dashscope': return vscode.l10n.t('DashScope (Beijing)');
    case 'dashscope-intl': return vscode.l10n.t('DashScope (Singapore)');
    // A workspace's host names its id and region.
    case 'workspace':
    case 'custom': return new URL(endpoint.baseUrl).host;
  }
}
