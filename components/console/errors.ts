import type { LocalizedText } from '../../lib/i18n';

/**
 * An action's failure in words. Endpoint errors (extension/endpoint.ts EndpointError) carry the server's
 * own ja/en message; a refusal by role also says what the token may and may not do.
 */
export function describeError(error: unknown): LocalizedText {
  const e = error as { kind?: string; reason?: LocalizedText; message?: string } | null;
  const reason = e?.reason && typeof e.reason.ja === 'string' ? e.reason : null;
  if (e?.kind === 'forbidden') {
    const detail = reason ?? { ja: '権限がありません', en: 'not allowed' };
    return {
      ja: `エンドポイントが拒否しました: ${detail.ja}。営業担当（rep）のトークンではルールの提案・承認・ロールバックはできません。マーケティング担当またはマネージャーのトークンを使ってください`,
      en: `The endpoint refused: ${detail.en}. A rep token cannot propose, sign off or roll back rules; use a marketer's or a manager's token`,
    };
  }
  if (reason) return reason;
  const message = e?.message ?? String(error);
  return { ja: `失敗しました: ${message}`, en: `Failed: ${message}` };
}
