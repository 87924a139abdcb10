import { type FormEvent, useId, useState } from 'react';
import { type Lang, textTable } from '../lib/i18n';
import type { ConnectionTest } from '../lib/messaging';

/**
 * The options page: endpoint URL, token, the rep's name, "allow access" (the runtime host permission)
 * and "test connection", which says exactly what is wrong. Settings an administrator set by policy
 * are shown read-only with the reason.
 */
export interface EndpointValues {
  url: string;
  token: string;
  repName: string;
}

const t = textTable({
  ja: {
    title: '同期エンドポイント',
    url: 'エンドポイントの URL',
    token: 'トークン',
    repName: 'あなたの名前（CRM の表示名）',
    locked: 'URL とトークンは管理者がポリシーで設定しています（変更できません）',
    save: '保存',
    saved: '保存しました',
    allow: '接続を許可',
    allowed: 'このエンドポイントへの接続は許可されています',
    denied: '接続が許可されませんでした',
    test: '接続テスト',
    testing: 'テスト中…',
    alone: '空欄のままでも Baton は既定のルールでこのブラウザーだけで動作します',
  },
  en: {
    title: 'Sync endpoint',
    url: 'Endpoint URL',
    token: 'Token',
    repName: 'Your name (as the CRM shows it)',
    locked: 'The URL and token are set by your administrator through policy (locked)',
    save: 'Save',
    saved: 'Saved',
    allow: 'Allow access',
    allowed: 'Baton may reach this endpoint',
    denied: 'Access was not granted',
    test: 'Test connection',
    testing: 'Testing…',
    alone: 'Left empty, Baton works on its own in this browser with the default rules',
  },
});

export function EndpointSettings({
  lang,
  initial,
  managedUrl,
  save,
  allowAccess,
  test,
}: {
  lang: Lang;
  initial: EndpointValues;
  /** The policy's URL when an administrator set one: the fields are locked. */
  managedUrl: string | null;
  save: (values: EndpointValues) => Promise<{ ok: true } | { ok: false; reason: string }>;
  /** Asks the browser for the endpoint origin's host permission (must run in the click). */
  allowAccess: (url: string) => Promise<boolean>;
  test: (url: string, token: string) => Promise<ConnectionTest>;
}) {
  const id = useId();
  const [values, setValues] = useState(initial);
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const locked = managedUrl !== null;
  const url = locked ? managedUrl : values.url;

  const onSave = async (event: FormEvent) => {
    event.preventDefault();
    const result = await save(values);
    setMessage(result.ok ? { text: t.saved[lang], ok: true } : { text: result.reason, ok: false });
  };
  const onAllow = async () => {
    const granted = await allowAccess(url).catch(() => false);
    setMessage({ text: granted ? t.allowed[lang] : t.denied[lang], ok: granted });
  };
  const onTest = async () => {
    setBusy(true);
    try {
      const result = await test(url, locked ? '' : values.token);
      setMessage({ text: result.reason[lang], ok: result.ok });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      onSubmit={onSave}
      aria-labelledby={`${id}-title`}
      style={{ display: 'grid', gap: 8, maxWidth: 520 }}
    >
      <h1 id={`${id}-title`} style={{ fontSize: 18 }}>
        {t.title[lang]}
      </h1>
      {locked && <p role="note">🔒 {t.locked[lang]}</p>}
      <label>
        {t.url[lang]}
        <input
          type="url"
          value={url}
          readOnly={locked}
          aria-readonly={locked}
          placeholder="https://baton.example.co.jp"
          style={{ display: 'block', width: '100%' }}
          onChange={(e) => setValues({ ...values, url: e.target.value })}
        />
      </label>
      {!locked && (
        <label>
          {t.token[lang]}
          <input
            type="password"
            autoComplete="off"
            value={values.token}
            style={{ display: 'block', width: '100%' }}
            onChange={(e) => setValues({ ...values, token: e.target.value })}
          />
        </label>
      )}
      <label>
        {t.repName[lang]}
        <input
          type="text"
          value={values.repName}
          maxLength={200}
          style={{ display: 'block', width: '100%' }}
          onChange={(e) => setValues({ ...values, repName: e.target.value })}
        />
      </label>
      <p style={{ margin: 0, color: '#5c6670' }}>{t.alone[lang]}</p>
      <div style={{ display: 'flex', gap: 8 }}>
        <button type="submit">{t.save[lang]}</button>
        <button type="button" onClick={onAllow} disabled={!url}>
          {t.allow[lang]}
        </button>
        <button type="button" onClick={onTest} disabled={!url || busy}>
          {busy ? t.testing[lang] : t.test[lang]}
        </button>
      </div>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} style={{ color: message.ok ? '#1b7f3b' : '#b3261e' }}>
          {message.ok ? '✓ ' : '✗ '}
          {message.text}
        </p>
      )}
    </form>
  );
}
