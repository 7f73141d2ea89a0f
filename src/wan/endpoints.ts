// Where the Wan API lives, and which addresses the extension may send a key or fetch a result from.
import * as l10n from '@vscode/l10n';

export type EndpointId = 'apiyi' | 'dashscope' | 'dashscope-intl' | 'workspace' | 'custom';

export const ENDPOINT_BASE_URLS: Record<Exclude<EndpointId, 'workspace' | 'custom'>, string> = {
  apiyi: 'https://api.apiyi.com/wan/api/v1',
  dashscope: 'https://dashscope.aliyuncs.com/api/v1',
  'dashscope-intl': 'https://dashscope-intl.aliyuncs.com/api/v1',
};

/** The regions of Model Studio's workspace hosts (Beijing, Singapore, Tokyo, Frankfurt, Virginia). */
export const WORKSPACE_REGIONS = ['cn-beijing', 'ap-southeast-1', 'ap-northeast-1', 'eu-central-1', 'us-east-1'] as const;

export type WorkspaceRegion = (typeof WORKSPACE_REGIONS)[number];

const WORKSPACE_HOST = /^([^.]+)\.([^.]+)\.maas\.aliyuncs\.com$/;

export function workspaceBaseUrl(id: string, region: WorkspaceRegion): string {
  return `https://${id}.${region}.maas.aliyuncs.com/api/v1`;
}

/** The workspace and region a host (`name[:port]`) belongs to; undefined for a host that is not a workspace's. */
export function workspaceOf(host: string): { id: string; region: string } | undefined {
  const match = WORKSPACE_HOST.exec(host);
  return match ? { id: match[1], region: match[2] } : undefined;
}

/** The id becomes the first label of the host name: one DNS label. */
export function checkWorkspaceId(raw: string): { id: string } | { problem: string } {
  const id = raw.trim();
  if (/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(id)) return { id };
  return { problem: l10n.t('{0} is not a workspace id, which is 1 to 63 lowercase letters, digits and hyphens (not first or last): copy it from the Model Studio console.', quoted(raw)) };
}

function allowedSchemes(): string {
  return l10n.t('use https://, or http:// only for this computer (localhost, 127.0.0.1, ::1)');
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets !== null && octets.slice(1).every((part) => Number(part) <= 255);
}

/** The scheme rule shared by the API base and result links; undefined when the URL may be used. */
function transportProblem(url: URL, what: 'base URL' | 'result link'): string | undefined {
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    if (isLoopbackHost(url.hostname)) return undefined;
    return what === 'base URL'
      ? l10n.t('The base URL {0} uses plain http:// to another computer; {1}.', url.origin, allowedSchemes())
      : l10n.t('The result link {0} uses plain http:// to another computer; {1}.', url.origin, allowedSchemes());
  }
  return what === 'base URL'
    ? l10n.t('The base URL uses "{0}", which is not allowed; {1}.', url.protocol, allowedSchemes())
    : l10n.t('The result link uses "{0}", which is not allowed; {1}.', url.protocol, allowedSchemes());
}

function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(raw.trim());
  } catch {
    return undefined;
  }
}

function quoted(raw: string): string {
  const text = raw.trim();
  return text.length > 80 ? `"${text.slice(0, 77)}..."` : `"${text}"`;
}

export function checkBaseUrl(raw: string): { url: string } | { problem: string } {
  const url = parseUrl(raw);
  if (!url) {
    return { problem: l10n.t('The base URL {0} is not a URL; write a full address such as {1} ({2}).', quoted(raw), ENDPOINT_BASE_URLS.dashscope, allowedSchemes()) };
  }
  const problem = transportProblem(url, 'base URL');
  if (problem) return { problem };
  // A user name or password in the URL would travel to the host next to the key.
  if (url.username || url.password) {
    return { problem: l10n.t('The base URL must not contain a user name or password; the API key has its own setting.') };
  }
  if (url.search || url.hash) {
    return { problem: l10n.t('The base URL must not have a query (?...) or a fragment (#...); write only the address up to /api/v1.') };
  }
  return { url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

/** A result link: same scheme rule as the base URL; its query (the signature) is kept. */
export function checkDownloadUrl(raw: string): { url: URL } | { problem: string } {
  const url = parseUrl(raw);
  if (!url) return { problem: l10n.t('The result link {0} is not a URL.', quoted(raw)) };
  const problem = transportProblem(url, 'result link');
  return problem ? { problem } : { url };
}
