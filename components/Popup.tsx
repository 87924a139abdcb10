import { useCallback, useEffect, useState } from 'react';
import type { Lang } from '../lib/i18n';
import type { LeadKey } from '../lib/lead';
import { slaStateAt, slaStateLabel } from '../lib/lead-view';
import type { FeedbackForm as FormInfo, QueueItem, SyncState } from '../lib/messaging';
import { ConsoleLink } from './ConsoleLink';
import { FeedbackForm, type FeedbackValues } from './FeedbackForm';
import { countdown, LeadQueue } from './LeadQueue';
import { SyncFooter } from './SyncFooter';

/**
 * The toolbar popup: the current tab's lead on top (with "contacted" and the feedback form), then
 * "my queue", then the sync footer. All data comes through the props, so it renders the same in tests.
 */
export interface PopupSource {
  tabLead(): Promise<QueueItem | null>;
  queue(): Promise<QueueItem[]>;
  syncState(): Promise<SyncState>;
  syncNow(): Promise<SyncState>;
  form(lead: LeadKey): Promise<FormInfo>;
  submit(lead: LeadKey, values: FeedbackValues, idempotencyKey: string): Promise<{ savedAt: number }>;
  contacted(lead: LeadKey, idempotencyKey: string): Promise<void>;
  newKey(): string;
  now(): number;
}

const t = {
  current: { ja: 'このタブのリード', en: 'Lead in this tab' },
  noLead: { ja: 'このタブにはリードがありません', en: 'No lead in this tab' },
  contacted: { ja: 'コンタクト済みにする', en: 'Mark contacted' },
  contactedDone: { ja: 'コンタクト済み（SLA 停止）', en: 'Contacted (SLA clock stopped)' },
  failed: { ja: '読み込めませんでした', en: 'Could not load' },
  loading: { ja: '読み込み中…', en: 'Loading…' },
};

export function Popup({
  lang,
  source,
  consoleUrl,
}: {
  lang: Lang;
  source: PopupSource;
  consoleUrl?: string;
}) {
  const [lead, setLead] = useState<QueueItem | null | undefined>(undefined);
  const [form, setForm] = useState<FormInfo | null>(null);
  const [items, setItems] = useState<QueueItem[]>([]);
  const [sync, setSync] = useState<SyncState | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [current, queue, state] = await Promise.all([
        source.tabLead(),
        source.queue(),
        source.syncState(),
      ]);
      setLead(current);
      setItems(queue);
      setSync(state);
      setForm(current ? await source.form(current) : null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [source]);
  useEffect(() => {
    void load();
  }, [load]);

  const now = source.now();
  return (
    <main style={{ width: 380, fontFamily: 'system-ui, sans-serif', fontSize: 13, padding: 12 }}>
      {error && (
        <p role="alert">
          {t.failed[lang]}: {error}
        </p>
      )}
      <section aria-label={t.current[lang]}>
        <h1 style={{ fontSize: 15, margin: '0 0 4px' }}>{t.current[lang]}</h1>
        {lead === undefined ? (
          <p aria-busy="true">{t.loading[lang]}</p>
        ) : lead === null ? (
          <p>{t.noLead[lang]}</p>
        ) : (
          <div>
            <p style={{ margin: '0 0 4px' }}>
              <strong>{lead.label}</strong> · {slaStateLabel(slaStateAt(lead.sla, now), lang)}
              {countdown(lead, now, lang) && ` · ${countdown(lead, now, lang)}`}
            </p>
            {lead.sla.contactedAt === null && lead.handoffAt !== null ? (
              <button
                type="button"
                onClick={async () => {
                  await source.contacted(lead, source.newKey()).catch((e: unknown) => setError(String(e)));
                  await load();
                }}
              >
                {t.contacted[lang]}
              </button>
            ) : (
              lead.sla.contactedAt !== null && <p role="status">{t.contactedDone[lang]}</p>
            )}
            {form && (
              <FeedbackForm
                lang={lang}
                form={form}
                newKey={source.newKey}
                submit={async (values, key) => {
                  const saved = await source.submit(lead, values, key);
                  void load();
                  return saved;
                }}
              />
            )}
          </div>
        )}
      </section>
      <LeadQueue lang={lang} items={items} now={source.now} />
      {sync && (
        <SyncFooter
          lang={lang}
          state={sync}
          onSyncNow={async () => {
            setSync(await source.syncNow());
            await load();
          }}
        />
      )}
      {consoleUrl && <ConsoleLink lang={lang} href={consoleUrl} />}
    </main>
  );
}
