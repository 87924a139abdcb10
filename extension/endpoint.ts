import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { LocalizedText } from '../lib/i18n';

/**
 * Where this browser's sync endpoint is and how it signs in. An administrator's enterprise policy
 * (managed storage) wins over what the user typed on the options page, and is shown as locked.
 * With neither, Baton works alone on the default or an imported rule set.
 */
export interface EndpointConfig {
  /** Origin and optional base path, e.g. "https://baton.example.co.jp". No trailing slash. */
  url: string;
  token: string;
  source: 'managed' | 'user';
}

export const userEndpointSetting = storage.defineItem<{ url: string; token: string } | null>(
  'local:endpoint',
  {
    fallback: null,
    version: 1,
  },
);

export async function endpointConfig(): Promise<EndpointConfig | null> {
  const managed = await browser.storage.managed
    ?.get(['endpointUrl', 'token'])
    .catch(() => ({}) as Record<string, unknown>);
  if (managed && typeof managed.endpointUrl === 'string' && typeof managed.token === 'string') {
    return { url: trimSlash(managed.endpointUrl), token: managed.token, source: 'managed' };
  }
  const user = await userEndpointSetting.getValue();
  return user ? { url: trimSlash(user.url), token: user.token, source: 'user' } : null;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Who the rep is in the events they record (the CRM user name); asked once on the options page. */
export const repNameSetting = storage.defineItem<string>('local:repName', { fallback: '', version: 1 });

/**
 * Checks an endpoint URL typed on the options page. Plain http is refused except on this machine:
 * the token travels in every request.
 */
export function checkEndpointUrl(
  text: string,
): { ok: true; url: string } | { ok: false; reason: LocalizedText } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return {
      ok: false,
      reason: {
        ja: 'URL の形式が正しくありません（例: https://baton.example.co.jp）',
        en: 'Not a URL (e.g. https://baton.example.co.jp)',
      },
    };
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return {
      ok: false,
      reason: {
        ja: 'https:// で始まる URL を指定してください（トークンを暗号化せずに送らないため）',
        en: 'Use an https:// URL: the token must not travel unencrypted',
      },
    };
  }
  if (url.search || url.hash || url.username || url.password) {
    return {
      ok: false,
      reason: {
        ja: 'URL にクエリ・フラグメント・認証情報は含められません',
        en: 'The URL may not carry a query, a fragment or credentials',
      },
    };
  }
  return { ok: true, url: trimSlash(`${url.origin}${url.pathname}`) };
}

/** The match pattern of the endpoint's origin, as asked for at runtime (optional_host_permissions). */
export function originPattern(url: string): string {
  return `${new URL(url).origin}/*`;
}

/** Whether the user (or policy) has let Baton reach the endpoint's origin. */
export async function hasHostPermission(url: string): Promise<boolean> {
  return browser.permissions.contains({ origins: [originPattern(url)] }).catch(() => false);
}

const REQUEST_TIMEOUT_MS = 20_000;

/** Why a request to the endpoint failed, in words a rep can act on. */
export class EndpointError extends Error {
  constructor(
    readonly kind:
      | 'unconfigured'
      | 'no_permission'
      | 'unreachable'
      | 'tls'
      | 'unauthorized'
      | 'forbidden'
      | 'invalid'
      | 'rate_limited'
      | 'server',
    readonly status: number | null,
    readonly reason: LocalizedText,
    readonly body?: unknown,
  ) {
    super(reason.en);
  }
}

/**
 * One authenticated request to the endpoint. Resolves with the Response for 2xx and 304; anything else
 * becomes an EndpointError carrying the server's own ja/en message when it sent one.
 */
export async function endpointFetch(
  config: EndpointConfig,
  path: string,
  init: RequestInit = {},
  transport: typeof fetch = fetch,
): Promise<Response> {
  let response: Response;
  try {
    response = await transport(`${config.url}${path}`, {
      // A connection that hangs (a half-open socket, a stalled proxy) must fail, not block every sync.
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      ...init,
      headers: {
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
        authorization: `Bearer ${config.token}`,
      },
    });
  } catch {
    // The browser's own error ("TypeError: Failed to fetch") says nothing a person can act on, and only
    // in English; the options page's connection test names the network error when one is known.
    throw new EndpointError('unreachable', null, {
      ja: `エンドポイントに接続できません（${config.url}）。URL・ネットワーク・証明書を確認してください`,
      en: `Cannot reach the endpoint at ${config.url}: check the URL, the network and its TLS certificate`,
    });
  }
  if (response.ok || response.status === 304) return response;
  const body = await response.json().catch(() => undefined);
  const message = (body as { error?: { message?: LocalizedText } } | undefined)?.error?.message;
  const kind =
    response.status === 401
      ? 'unauthorized'
      : response.status === 403
        ? 'forbidden'
        : response.status === 429
          ? 'rate_limited'
          : response.status >= 500
            ? 'server'
            : 'invalid';
  const fallback: Record<typeof kind, LocalizedText> = {
    unauthorized: { ja: 'トークンが無効です（401）', en: 'The token is not valid (401)' },
    forbidden: {
      ja: 'このトークンの権限では実行できません（403）',
      en: "This token's role may not do that (403)",
    },
    rate_limited: {
      ja: 'リクエストが多すぎます。しばらく待って再試行します（429）',
      en: 'Too many requests; retrying later (429)',
    },
    server: {
      ja: `エンドポイントのエラー（${response.status}）`,
      en: `The endpoint failed (${response.status})`,
    },
    invalid: {
      ja: `リクエストが拒否されました（${response.status}）`,
      en: `The endpoint refused the request (${response.status})`,
    },
  };
  throw new EndpointError(kind, response.status, message ?? fallback[kind], body);
}
