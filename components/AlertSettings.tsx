import { useId, useState } from 'react';
import type { AlertPrefs } from '../extension/alert-settings';
import type { AlertKind } from '../lib/alerts';
import { type Lang, textTable } from '../lib/i18n';

/**
 * The options page's lead-alert choices: which notifications to show, their sound and the digest time.
 * Each change is saved at once: a second "Save" button on the page would be ambiguous next to the
 * endpoint form's.
 */
const t = textTable({
  ja: {
    title: 'リードの通知',
    due_soon: '期限間近',
    overdue: '期限超過',
    step: 'エスカレーション（マネージャー・マーケティング）',
    sound: '通知音を鳴らす',
    digest: '時間外の通知をまとめて知らせる時刻（空欄: 始業時）',
    quiet: '営業時間外は通知せず、翌営業日の始業時にまとめてお知らせします',
    saved: '保存しました',
  },
  en: {
    title: 'Lead notifications',
    due_soon: 'Due soon',
    overdue: 'Overdue',
    step: 'Escalation (manager, marketing)',
    sound: 'Play a sound',
    digest: 'Daily digest time for what fell due out of hours (empty: start of work)',
    quiet: 'Outside business hours Baton stays quiet and sums up at the start of the next working day',
    saved: 'Saved',
  },
});

const KINDS: AlertKind[] = ['due_soon', 'overdue', 'step'];

export function AlertSettings({
  lang,
  initial,
  save,
}: {
  lang: Lang;
  initial: AlertPrefs;
  save: (prefs: AlertPrefs) => Promise<void>;
}) {
  const id = useId();
  const [prefs, setPrefs] = useState(initial);
  const [saved, setSaved] = useState(false);
  const update = async (next: AlertPrefs) => {
    setPrefs(next);
    setSaved(false);
    await save(next);
    setSaved(true);
  };
  return (
    <section aria-labelledby={`${id}-title`} style={{ display: 'grid', gap: 8, maxWidth: 520 }}>
      <h2 id={`${id}-title`} style={{ fontSize: 16 }}>
        {t.title[lang]}
      </h2>
      {KINDS.map((kind) => (
        <label key={kind}>
          <input
            type="checkbox"
            checked={prefs.kinds[kind]}
            onChange={(e) => void update({ ...prefs, kinds: { ...prefs.kinds, [kind]: e.target.checked } })}
          />{' '}
          {t[kind][lang]}
        </label>
      ))}
      <label>
        <input
          type="checkbox"
          checked={prefs.sound}
          onChange={(e) => void update({ ...prefs, sound: e.target.checked })}
        />{' '}
        {t.sound[lang]}
      </label>
      <label>
        {t.digest[lang]}
        <input
          type="time"
          value={prefs.digestTime ?? ''}
          style={{ display: 'block' }}
          onChange={(e) => void update({ ...prefs, digestTime: e.target.value || null })}
        />
      </label>
      <p style={{ margin: 0, color: '#5c6670' }}>{t.quiet[lang]}</p>
      {saved && (
        <p role="status" style={{ color: '#1b7f3b' }}>
          ✓ {t.saved[lang]}
        </p>
      )}
    </section>
  );
}
