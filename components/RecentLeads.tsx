import { useEffect, useState } from 'react';
import type { Lang } from '../lib/i18n';
import type { SeenLead } from '../lib/messaging';

const text = {
  title: { ja: '最近見たリード', en: 'Recently seen leads' },
  loading: { ja: '読み込み中…', en: 'Loading…' },
  empty: {
    ja: 'まだリードを見ていません。CRMのリードを開いてください。',
    en: 'No leads seen yet. Open a lead in your CRM.',
  },
  failed: { ja: '読み込めませんでした', en: 'Could not load' },
};

export function RecentLeads({ lang, load }: { lang: Lang; load: () => Promise<SeenLead[]> }) {
  const [leads, setLeads] = useState<SeenLead[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    load().then(setLeads, (e: unknown) => setError(String(e)));
  }, [load]);

  return (
    <main style={{ minWidth: 320, fontFamily: 'system-ui, sans-serif', padding: 12 }}>
      <h1 style={{ fontSize: 16, margin: '0 0 8px' }}>{text.title[lang]}</h1>
      {error ? (
        <p role="alert">
          {text.failed[lang]}: {error}
        </p>
      ) : leads === null ? (
        <p aria-busy="true">{text.loading[lang]}</p>
      ) : leads.length === 0 ? (
        <p>{text.empty[lang]}</p>
      ) : (
        <ul aria-label={text.title[lang]} style={{ paddingLeft: 16 }}>
          {leads.map((lead) => (
            <li key={`${lead.crm}:${lead.object}:${lead.recordId}`} data-record-id={lead.recordId}>
              {lead.company ?? lead.name ?? lead.recordId} ({lead.crm})
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
