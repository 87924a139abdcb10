import { useEffect, useState } from 'react';
import type { Lang } from '../lib/i18n';
import type { LeadKey } from '../lib/lead';
import type { FeedbackForm as FormInfo } from '../lib/messaging';
import { FeedbackForm, type FeedbackValues } from './FeedbackForm';

/** The in-page feedback frame: the same form as the popup's, for the lead the overlay shows. */
export function FeedbackPage({
  lang,
  lead,
  load,
  submit,
  newKey,
}: {
  lang: Lang;
  lead: LeadKey | null;
  load: (lead: LeadKey) => Promise<FormInfo>;
  submit: (lead: LeadKey, values: FeedbackValues, idempotencyKey: string) => Promise<{ savedAt: number }>;
  newKey: () => string;
}) {
  const [form, setForm] = useState<FormInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (lead) load(lead).then(setForm, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [lead, load]);
  const missing = { ja: 'リードが指定されていません', en: 'No lead given' };
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', fontSize: 13, padding: 8 }}>
      {!lead || error ? (
        <p role="alert">{error ?? missing[lang]}</p>
      ) : form ? (
        <FeedbackForm
          lang={lang}
          form={form}
          newKey={newKey}
          submit={(values, key) => submit(lead, values, key)}
        />
      ) : (
        <p aria-busy="true">…</p>
      )}
    </main>
  );
}
