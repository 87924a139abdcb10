import type { LocalizedText } from '../../lib/i18n';

/**
 * An action's failure in words. Endpoint errors (extension/endpoint.ts EndpointError) carry the server's
 * own ja/en message; a refusal by role (403) is said as the endpoint's reason, followed by `refusedHint`,
 * what the caller knows about the action it tried (a rule write, reading KPIs), when it gives one.
 */
export function describeError(error: unknown, refusedHint?: LocalizedText): LocalizedText {
  const e = error as { kind?: string; reason?: LocalizedText; message?: string } | null;
  const reason = e?.reason && typeof e.reason.ja === 'string' ? e.reason : null;
  if (e?.kind === 'forbidden') {
    const detail = reason ?? { ja: '権限がありません', en: 'not allowed' };
    return {
      ja: `エンドポイントが拒否しました: ${detail.ja}${refusedHint ? `。${refusedHint.ja}` : ''}`,
      en: `The endpoint refused: ${detail.en}${refusedHint ? `. ${refusedHint.en}` : ''}`,
    };
  }
  if (reason) return reason;
  const message = e?.message ?? String(error);
  return { ja: `失敗しました: ${message}`, en: `Failed: ${message}` };
}
