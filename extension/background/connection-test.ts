import { browser } from 'wxt/browser';
import type { ConnectionTest } from '../../lib/messaging';
import {
  checkEndpointUrl,
  EndpointError,
  endpointFetch,
  hasHostPermission,
  originPattern,
} from '../endpoint';

/**
 * "Test connection" on the options page: says exactly what is wrong, in words a rep or an IT admin can
 * act on. A failed fetch tells a page nothing about why; the worker's webRequest listener sees
 * Chromium's net error (ERR_CERT_*, ERR_CONNECTION_REFUSED, ERR_NAME_NOT_RESOLVED) and names it.
 */
export async function testConnection(urlText: string, token: string): Promise<ConnectionTest> {
  const checked = checkEndpointUrl(urlText);
  if (!checked.ok) return { ok: false, kind: 'invalid_url', reason: checked.reason };
  const url = checked.url;
  if (!(await hasHostPermission(url))) {
    return {
      ok: false,
      kind: 'no_permission',
      reason: {
        ja: `${new URL(url).origin} への接続が許可されていません。「接続を許可」を押してください`,
        en: `Baton may not reach ${new URL(url).origin} yet: press "Allow access"`,
      },
    };
  }
  const netErrors = watchNetErrors(url);
  const config = { url, token, source: 'user' as const };
  try {
    const health = await endpointFetch(config, '/health').catch((error: unknown) => {
      if (error instanceof EndpointError && error.status === 503) return null;
      throw error;
    });
    if (health && !(await isBatonHealth(health))) return notBaton(url);
    await endpointFetch(config, '/v1/rules/active').catch((error: unknown) => {
      // No active rule set yet is a working endpoint.
      if (!(error instanceof EndpointError && error.status === 404)) throw error;
    });
    return {
      ok: true,
      kind: 'ok',
      reason: { ja: `接続できました（${url}）`, en: `Connected to ${url}` },
    };
  } catch (error) {
    if (!(error instanceof EndpointError)) throw error;
    if (error.kind === 'unreachable') return unreachable(url, netErrors.last());
    if (error.kind === 'unauthorized' || error.kind === 'forbidden')
      return { ok: false, kind: error.kind, reason: error.reason };
    if (error.status === 404) return notBaton(url);
    return { ok: false, kind: 'server', reason: error.reason };
  } finally {
    netErrors.stop();
  }
}

async function isBatonHealth(response: Response): Promise<boolean> {
  const body = (await response.json().catch(() => null)) as { status?: unknown } | null;
  return body?.status === 'ok';
}

function notBaton(url: string): ConnectionTest {
  return {
    ok: false,
    kind: 'not_baton',
    reason: {
      ja: `${url} は Baton のエンドポイントではないようです（/health が応答しません）。URL を確認してください`,
      en: `${url} does not look like a Baton endpoint (no /health): check the URL`,
    },
  };
}

function unreachable(url: string, netError: string | null): ConnectionTest {
  const origin = new URL(url).origin;
  if (netError && /ERR_(CERT|SSL)_|ERR_BAD_SSL/.test(netError)) {
    return {
      ok: false,
      kind: 'tls',
      reason: {
        ja: `${origin} の TLS 証明書を信頼できません（${netError}）。証明書の期限・ホスト名・社内 CA の配布を確認してください`,
        en: `The TLS certificate of ${origin} is not trusted (${netError}): check its expiry, host name, or that your company CA is installed`,
      },
    };
  }
  const why =
    netError === 'net::ERR_NAME_NOT_RESOLVED'
      ? { ja: 'ホスト名が見つかりません', en: 'the host name does not resolve' }
      : netError === 'net::ERR_CONNECTION_REFUSED'
        ? {
            ja: '接続が拒否されました（サーバーが停止中か、ポートが違います）',
            en: 'the connection was refused (server down, or wrong port)',
          }
        : netError === 'net::ERR_CONNECTION_TIMED_OUT' || netError === 'net::ERR_TIMED_OUT'
          ? {
              ja: '応答がありません（ファイアウォール・プロキシを確認）',
              en: 'no answer (check firewall or proxy)',
            }
          : { ja: 'ネットワークに接続できません', en: 'the network request failed' };
  return {
    ok: false,
    kind: 'unreachable',
    reason: {
      ja: `${origin} に接続できません: ${why.ja}${netError ? `（${netError}）` : ''}`,
      en: `Cannot reach ${origin}: ${why.en}${netError ? ` (${netError})` : ''}`,
    },
  };
}

function watchNetErrors(url: string): { last(): string | null; stop(): void } {
  let last: string | null = null;
  const events = browser.webRequest?.onErrorOccurred;
  if (!events) return { last: () => null, stop: () => {} };
  const listener = (details: { error: string }) => {
    last = details.error;
  };
  try {
    events.addListener(listener, { urls: [originPattern(url)] });
  } catch {
    return { last: () => null, stop: () => {} };
  }
  return { last: () => last, stop: () => events.removeListener(listener) };
}
