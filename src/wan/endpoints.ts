// Where the Wan API lives, and which addresses the extension may send a key or fetch a result from.
import * as l10n from '@vscode/l10n';

export type EndpointId = 'apiyi' | 'dashscope' | 'dashscope-intl' | 'custom';

export const ENDPOINT_BASE_URLS: Record<Exclude<EndpointId, 'custom'>, string> = {
  apiyi: 'https://api.apiyi.com/wan/api/v1',
  dashscope: 'https://dashscope.aliyuncs.com/api/v1',
  'dashscope-intl': 'https://dashscope-intl.aliyuncs.com/api/v1',
};

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
