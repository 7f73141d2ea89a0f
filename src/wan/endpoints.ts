// Where the Wan API lives, and which addresses the extension may send a key or fetch a result from.

export type EndpointId = 'apiyi' | 'dashscope' | 'dashscope-intl' | 'custom';

export const ENDPOINT_BASE_URLS: Record<Exclude<EndpointId, 'custom'>, string> = {
  apiyi: 'https://api.apiyi.com/wan/api/v1',
  dashscope: 'https://dashscope.aliyuncs.com/api/v1',
  'dashscope-intl': 'https://dashscope-intl.aliyuncs.com/api/v1',
};

const ALLOWED = 'use https://, or http:// only for this computer (localhost, 127.0.0.1, ::1)';

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets !== null && octets.slice(1).every((part) => Number(part) <= 255);
}

/** The scheme rule shared by the API base and result links; undefined when the URL may be used. */
function transportProblem(url: URL, what: string): string | undefined {
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    return isLoopbackHost(url.hostname)
      ? undefined
      : `The ${what} ${url.origin} uses plain http:// to another computer; ${ALLOWED}.`;
  }
  return `The ${what} uses "${url.protocol}", which is not allowed; ${ALLOWED}.`;
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
    return { problem: `The base URL ${quoted(raw)} is not a URL; write a full address such as ${ENDPOINT_BASE_URLS.dashscope} (${ALLOWED}).` };
  }
  const problem = transportProblem(url, 'base URL');
  if (problem) return { problem };
  // A user name or password in the URL would travel to the host next to the key.
  if (url.username || url.password) {
    return { problem: 'The base URL must not contain a user name or password; the API key has its own setting.' };
  }
  if (url.search || url.hash) {
    return { problem: 'The base URL must not have a query (?...) or a fragment (#...); write only the address up to /api/v1.' };
  }
  return { url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

/** A result link: same scheme rule as the base URL; its query (the signature) is kept. */
export function checkDownloadUrl(raw: string): { url: URL } | { problem: string } {
  const url = parseUrl(raw);
  if (!url) return { problem: `The result link ${quoted(raw)} is not a URL.` };
  const problem = transportProblem(url, 'result link');
  return problem ? { problem } : { url };
}
