import { useCallback, useEffect, useState } from 'react';
import { type Lang, textTable } from '../lib/i18n';
import type { LeadKey } from '../lib/lead';
import { slaStateLabel } from '../lib/lead-view';
import type { FeedbackForm as FormInfo, QueueItem, SyncState } from '../lib/messaging';
import { slaStateAt } from '../lib/sla/state';
import { ConsoleLink } from './ConsoleLink';
import { FeedbackForm, type FeedbackValues } from './FeedbackForm';
import { countdown, LeadQueue, leadTitle } from './LeadQueue';
import { SyncFooter } from './SyncFooter';

/**
 * The toolbar popup leads with "my queue" (what to do next, overdue first), then the current tab's lead
 * in a compact card ("contacted" in one click, feedback one click further), then the sync footer. It fits
 * Chrome's 600-px popup: the queue scrolls inside its own box. All data comes through the props, so it
 * renders the same in tests.
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

const t = textTable({
  ja: {
    current: 'このタブのリード',
    noLead: 'このタブにはリードがありません',
    contacted: 'コンタクト済みにする',
    contactedDone: 'コンタクト済み（SLA 停止）',
    feedback: 'リードの評価を送る',
    hideFeedback: '評価フォームを閉じる',
    failed: '読み込めませんでした',
    loading: '読み込み中…',
  },
  en: {
    current: 'Lead in this tab',
    noLead: 'No lead in this tab',
    contacted: 'Mark contacted',
    contactedDone: 'Contacted (SLA clock stopped)',
    feedback: 'Send feedback on this lead',
    hideFeedback: 'Close the feedback form',
    failed: 'Could not load',
    loading: 'Loading…',
  },
});

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
  const [feedbackOpen, setFeedbackOpen] = useState(false);

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
      {/* While the rep fills in feedback the queue steps aside, so the form fits the 600-px popup. */}
      <div style={{ maxHeight: 300, overflowY: 'auto' }} hidden={feedbackOpen}>
        <LeadQueue lang={lang} items={items} now={source.now} />
      </div>
      <section aria-label={t.current[lang]} style={{ borderTop: '1px solid #d0d7de', marginTop: 8 }}>
        <h2 style={{ fontSize: 14, margin: '8px 0 4px' }}>{t.current[lang]}</h2>
        {lead === undefined ? (
          <p aria-busy="true">{t.loading[lang]}</p>
        ) : lead === null ? (
          <p>{t.noLead[lang]}</p>
        ) : (
          <div>
            <p style={{ margin: '0 0 4px' }}>
              <strong>{leadTitle(lead)}</strong> · {slaStateLabel(slaStateAt(lead.sla, now), lang)}
              {countdown(lead, now, lang) && ` · ${countdown(lead, now, lang)}`}
            </p>
            <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
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
                <button
                  type="button"
                  aria-expanded={feedbackOpen}
                  aria-controls="popup-feedback"
                  onClick={() => setFeedbackOpen((open) => !open)}
                >
                  {feedbackOpen ? t.hideFeedback[lang] : t.feedback[lang]}
                </button>
              )}
            </div>
            {form && (
              <div id="popup-feedback" hidden={!feedbackOpen}>
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
              </div>
            )}
          </div>
        )}
      </section>
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
