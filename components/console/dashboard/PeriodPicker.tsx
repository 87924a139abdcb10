import { useRef, useState } from 'react';
import { type Lang, textTable } from '../../../lib/i18n';
import { addDays, type Period, PRESETS } from './period';

const UI = textTable({
  ja: {
    period: '期間',
    from: '期間の開始日',
    until: '期間の終了日（この日を含む）',
    order: '終了日は開始日以降にしてください',
    shown: '表示中',
  },
  en: {
    period: 'Period',
    from: 'Period from',
    until: 'Period to (inclusive)',
    order: 'The end date must not be before the start date',
    shown: 'Showing',
  },
});

/**
 * The period presets as a native radio group (one tab stop, arrow keys), and date inputs for a custom
 * period.
 */
export function PeriodPicker({
  lang,
  period,
  resolved,
  onChange,
}: {
  lang: Lang;
  period: Period;
  /** The dates the period stands for, [from, to). */
  resolved: { from: string; to: string };
  onChange: (period: Period) => void;
}) {
  const refs = useRef(new Map<string, HTMLInputElement>());
  const [from, setFrom] = useState(period.preset === 'custom' ? period.from : resolved.from);
  const [until, setUntil] = useState(period.preset === 'custom' ? period.until : addDays(resolved.to, -1));
  const custom = period.preset === 'custom';
  const badOrder = custom && from > until;

  const choose = (id: (typeof PRESETS)[number]['id']) => {
    if (id === 'custom') {
      // Start from the dates shown, so switching to custom changes nothing until the user edits them.
      const f = resolved.from;
      const u = addDays(resolved.to, -1);
      setFrom(f);
      setUntil(u);
      onChange({ preset: 'custom', from: f, until: u });
    } else {
      onChange({ preset: id });
    }
    refs.current.get(id)?.focus();
  };
  const applyCustom = (f: string, u: string) => {
    if (f && u && f <= u) onChange({ preset: 'custom', from: f, until: u });
  };

  return (
    <fieldset className="period-picker">
      <legend>{UI.period[lang]}</legend>
      <div className="segmented">
        {PRESETS.map((p, i) => (
          <label key={p.id} className="segment">
            <input
              ref={(el) => {
                if (el) refs.current.set(p.id, el);
              }}
              type="radio"
              name="dashboard-period"
              value={p.id}
              checked={period.preset === p.id}
              onChange={() => choose(p.id)}
              onKeyDown={(e) => {
                // The browser moves through a radio group with the arrow keys by itself; doing it here
                // (and stopping the browser's) keeps one behaviour everywhere, wrap-around included.
                const step =
                  e.key === 'ArrowRight' || e.key === 'ArrowDown'
                    ? 1
                    : e.key === 'ArrowLeft' || e.key === 'ArrowUp'
                      ? -1
                      : 0;
                if (step) {
                  e.preventDefault();
                  choose(PRESETS[(i + step + PRESETS.length) % PRESETS.length]!.id);
                }
              }}
            />
            {p.label[lang]}
          </label>
        ))}
      </div>
      {custom ? (
        <div className="custom-period">
          <div className="field">
            <label htmlFor="period-from">{UI.from[lang]}</label>
            <input
              id="period-from"
              type="date"
              value={from}
              max={until || undefined}
              onChange={(e) => {
                setFrom(e.target.value);
                applyCustom(e.target.value, until);
              }}
            />
          </div>
          <div className="field">
            <label htmlFor="period-until">{UI.until[lang]}</label>
            <input
              id="period-until"
              type="date"
              value={until}
              min={from || undefined}
              aria-invalid={badOrder}
              aria-describedby={badOrder ? 'period-order' : undefined}
              onChange={(e) => {
                setUntil(e.target.value);
                applyCustom(from, e.target.value);
              }}
            />
          </div>
          {badOrder ? (
            <p id="period-order" role="alert">
              {UI.order[lang]}
            </p>
          ) : null}
        </div>
      ) : null}
      <p className="period-shown" data-testid="period-shown">
        {UI.shown[lang]}: {resolved.from} – {addDays(resolved.to, -1)}
      </p>
    </fieldset>
  );
}
