import { useEffect, useId, useState } from 'react';
import { crmName } from '../lib/crm';
import { type Lang, textTable } from '../lib/i18n';
import { slaStateLabel, stageLabel } from '../lib/lead-view';
import type { QueueItem } from '../lib/messaging';
import { dueLine } from '../lib/sla/format';
import { slaStateAt } from '../lib/sla/state';
import { SLA_STYLE } from './sla-style';

/**
 * "My queue": the leads in the order they need the rep (the worker sorts: overdue first, then the
 * nearest due), with a countdown that ticks once a second, filters, and a link into the CRM.
 * The SLA state is always written out; colour only repeats it.
 */
export type QueueFilter = 'all' | 'overdue' | 'due_today' | 'awaiting_feedback';

const FILTERS = textTable<QueueFilter>({
  ja: { all: 'すべて', overdue: '期限超過', due_today: '今日が期限', awaiting_feedback: '評価待ち' },
  en: { all: 'All', overdue: 'Overdue', due_today: 'Due today', awaiting_feedback: 'Awaiting feedback' },
});

const t = textTable({
  ja: {
    title: 'マイキュー',
    filterBy: '絞り込み',
    empty: '該当するリードはありません',
    open: 'CRMで開く',
    team: 'チームの記録のみ（このブラウザーでは未表示）',
    awaiting: '評価待ち',
  },
  en: {
    title: 'My queue',
    filterBy: 'Filter',
    empty: 'No leads here',
    open: 'Open in CRM',
    team: 'From the team only (not opened here)',
    awaiting: 'awaiting feedback',
  },
});

export function matchesFilter(item: QueueItem, filter: QueueFilter, now: number): boolean {
  const state = slaStateAt(item.sla, now);
  if (filter === 'overdue') return state === 'overdue';
  if (filter === 'awaiting_feedback') return item.awaitingFeedback;
  if (filter === 'due_today') {
    if (item.sla.dueAt === null || !(state === 'running' || state === 'due_soon' || state === 'overdue'))
      return false;
    const due = new Date(item.sla.dueAt);
    const today = new Date(now);
    return due.toDateString() === today.toDateString();
  }
  return true;
}

/** The countdown beside the state, and the deadline as a clock time while it lies ahead. */
export function countdown(item: QueueItem, now: number, lang: Lang): string {
  return dueLine(item.sla, slaStateAt(item.sla, now), now, lang);
}

/** Who and where: the person and the company (leads of one company are told apart), then the CRM. */
export function leadTitle(item: QueueItem): string {
  const { name, company } = item;
  if (name && company) return `${name} — ${company}`;
  return name ?? company ?? item.label;
}

export function LeadQueue({ lang, items, now }: { lang: Lang; items: QueueItem[]; now: () => number }) {
  const id = useId();
  const [filter, setFilter] = useState<QueueFilter>('all');
  const [time, setTime] = useState(now);
  useEffect(() => {
    const timer = setInterval(() => setTime(now()), 1000);
    return () => clearInterval(timer);
  }, [now]);
  const shown = items.filter((item) => matchesFilter(item, filter, time));
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} style={{ fontSize: 14, margin: '8px 0 4px' }}>
        {t.title[lang]} ({items.length})
      </h2>
      <fieldset
        style={{ border: 0, padding: 0, margin: '0 0 6px', display: 'flex', gap: 8, flexWrap: 'wrap' }}
      >
        <legend style={{ position: 'absolute', left: -9999 }}>{t.filterBy[lang]}</legend>
        {(Object.keys(FILTERS) as QueueFilter[]).map((f) => (
          <label key={f}>
            <input
              type="radio"
              name={`${id}-filter`}
              value={f}
              checked={filter === f}
              onChange={() => setFilter(f)}
            />{' '}
            {FILTERS[f][lang]} ({items.filter((item) => matchesFilter(item, f, time)).length})
          </label>
        ))}
      </fieldset>
      {shown.length === 0 ? (
        <p>{t.empty[lang]}</p>
      ) : (
        <ul aria-label={t.title[lang]} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {shown.map((item) => {
            const state = slaStateAt(item.sla, time);
            return (
              <li
                key={item.key}
                data-record-id={item.recordId}
                data-sla-state={state}
                style={{
                  borderLeft: `4px ${SLA_STYLE[state].border} ${SLA_STYLE[state].color}`,
                  padding: '2px 6px',
                  margin: '4px 0',
                }}
              >
                <div>
                  {item.url ? (
                    <a href={item.url} target="_blank" rel="noreferrer" title={t.open[lang]}>
                      {leadTitle(item)}
                    </a>
                  ) : (
                    <span>{leadTitle(item)}</span>
                  )}{' '}
                  <span style={{ color: '#5c6670' }}>· {crmName(item.crm)}</span>
                </div>
                <div>
                  <strong style={{ color: SLA_STYLE[state].color }}>{slaStateLabel(state, lang)}</strong>
                  {countdown(item, time, lang) && ` · ${countdown(item, time, lang)}`}
                  {item.stage && ` · ${stageLabel(item.stage, lang)}`}
                  {item.awaitingFeedback && ` · ${t.awaiting[lang]}`}
                  {item.source === 'team' && ` · ${t.team[lang]}`}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
