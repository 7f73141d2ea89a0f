// Builds Wan clients for the VS Code layer: the right key for each endpoint, each request logged without it.
import * as vscode from 'vscode';
import { loadNet } from '../bundles/loader';
import type { Log } from '../common/log';
import type { ApiKeys } from './apiKeys';
import type { Endpoint } from './settings';
import type { TaskRecord } from '../tasks/taskRecord';
import type { WanClient } from '../wan/client';
import { WanError } from '../wan/errors';

export function endpointOf(record: TaskRecord): Endpoint {
  return { id: record.endpoint, baseUrl: record.baseUrl };
}

export class WanAccess {
  constructor(private readonly keys: ApiKeys, private readonly log: Log) {}

  client(endpoint: Endpoint, apiKey: string): WanClient {
    const { WanClient } = loadNet();
    return new WanClient({
      baseUrl: endpoint.baseUrl,
      apiKey,
      onRequest: (entry) => {
        const outcome = entry.status ?? entry.error ?? 'no answer';
        const line = `${entry.method} ${entry.path} → ${outcome}${entry.requestId ? ` (request ${entry.requestId})` : ''} in ${Math.round(entry.durationMs)} ms`;
        if (entry.status !== undefined && entry.status < 400) this.log.debug(line);
        else this.log.warn(line);
      },
    });
  }

  /** A client for an existing task's endpoint; never asks, since polling runs unattended. */
  async clientForRecord(record: TaskRecord): Promise<WanClient> {
    const endpoint = endpointOf(record);
    const key = await this.keys.get(endpoint);
    if (!key) {
      throw new WanError({
        kind: 'auth',
        message: vscode.l10n.t('No API key is set for {0}.', new URL(endpoint.baseUrl).host),
        advice: vscode.l10n.t('Run "Wan: Set API Key" with the endpoint this task was created on.'),
        retryable: false,
      });
    }
    return this.client(endpoint, key);
  }
}
