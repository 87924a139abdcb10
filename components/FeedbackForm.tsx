import { type FormEvent, useId, useMemo, useState } from 'react';
import { bantShortfall } from '../lib/bant';
import type { Bant, ContactMethod, FeedbackVerdict } from '../lib/events';
import { type Lang, type LocalizedText, textTable } from '../lib/i18n';
import type { FeedbackForm as FormInfo } from '../lib/messaging';

/**
 * Feedback on a handed-over lead, back to marketing. One component, two places: the popup and the
 * extension page framed inside the CRM overlay. Native controls only (fieldset/legend, label, select),
 * so it is keyboard-usable and labelled without extra work; the state is said in text.
 */
export interface FeedbackValues {
  verdict: FeedbackVerdict;
  bant?: Bant;
  reasonCode?: string;
  contactMethod?: ContactMethod;
  rating?: number;
  comment?: string;
}

type Answer = Bant['budget'];
type Timeframe = NonNullable<Bant['timeframe']>;

const t = textTable({
  ja: {
    title: 'リードの評価を送る',
    verdict: '判定',
    bant: 'BANT（ヒアリングで確認できたか）',
    timeframe: '導入時期の目安',
    reason: '理由',
    reasonRequired: '却下またはナーチャリングへ戻すときは理由を選んでください',
    choose: '選択してください',
    method: '初回コンタクトの手段',
    none: '未選択',
    rating: 'リードの質（1: 低い〜5: 高い）',
    comment: 'コメント',
    send: '保存して送信',
    saving: '保存中…',
    saved: '保存しました。次の同期でマーケティングに届きます（オフラインでも失われません）',
    savedLocally:
      'このブラウザーに保存しました。チームとの同期が設定されていないため、マーケティングにはまだ届きません（設定ページで同期を設定すると送られます）',
    version: 'MQL 判定に使われたルール',
    builtIn: '組み込みの既定ルール',
    sent: 'このブラウザーから送った評価',
  },
  en: {
    title: 'Feedback on this lead',
    verdict: 'Verdict',
    bant: 'BANT (confirmed in the conversation?)',
    timeframe: 'Timeframe',
    reason: 'Reason',
    reasonRequired: 'Choose a reason to reject or send back to nurture',
    choose: 'Choose…',
    method: 'First-contact method',
    none: 'Not given',
    rating: 'Lead quality (1 poor – 5 excellent)',
    comment: 'Comment',
    send: 'Save and send',
    saving: 'Saving…',
    saved: 'Saved. It reaches marketing at the next sync (kept even while offline)',
    savedLocally:
      'Saved in this browser only. Team sync is not set up, so marketing does not see it yet (it is sent once sync is set up on the options page)',
    version: 'Rules that made it an MQL',
    builtIn: 'the built-in default',
    sent: 'Feedback sent from this browser',
  },
});

const VERDICTS = textTable<FeedbackVerdict>({
  ja: {
    accept_sql: 'SQL として受け入れ',
    reject: '却下',
    recycle: 'ナーチャリングへ戻す',
    wrong_owner: '担当者違い',
    duplicate: '重複',
  },
  en: {
    accept_sql: 'Accept as SQL',
    reject: 'Reject',
    recycle: 'Send back to nurture',
    wrong_owner: 'Wrong owner',
    duplicate: 'Duplicate',
  },
});

const BANT_ITEMS = textTable({
  ja: { budget: '予算', authority: '決裁権', need: 'ニーズ', timing: '導入時期' },
  en: { budget: 'Budget', authority: 'Authority', need: 'Need', timing: 'Timing' },
});
type BantItem = keyof typeof BANT_ITEMS;

const ANSWERS = textTable<Answer>({
  ja: { yes: 'はい', no: 'いいえ', unknown: '不明' },
  en: { yes: 'Yes', no: 'No', unknown: 'Unknown' },
});

const TIMEFRAMES = textTable<Timeframe>({
  ja: {
    within_1_month: '1か月以内',
    within_3_months: '3か月以内',
    within_6_months: '6か月以内',
    within_12_months: '12か月以内',
    later: 'それ以降',
    unknown: '不明',
  },
  en: {
    within_1_month: 'Within 1 month',
    within_3_months: 'Within 3 months',
    within_6_months: 'Within 6 months',
    within_12_months: 'Within 12 months',
    later: 'Later',
    unknown: 'Unknown',
  },
});

const METHODS = textTable<ContactMethod>({
  ja: { phone: '電話', email: 'メール', meeting: '面談', other: 'その他' },
  en: { phone: 'Phone', email: 'Email', meeting: 'Meeting', other: 'Other' },
});

const STATES = textTable({
  ja: { pending: '未送信', sent: '送信済み', refused: '拒否された' },
  en: { pending: 'not sent yet', sent: 'sent', refused: 'refused' },
});

const FIELD = { display: 'block', margin: '4px 0' } as const;

/** Each key of a table of words as a choice, in the table's order. */
function choicesOf<K extends string>(table: Record<K, LocalizedText>, lang: Lang): Choice<K>[] {
  return (Object.keys(table) as K[]).map((value) => ({ value, text: table[value][lang] }));
}

type Choice<V extends string> = { value: V; text: string };

/** A drop-down with its label around it; `blank` is the choice of nothing (sent as no value). */
function ChoiceField<V extends string>({
  label,
  value,
  choices,
  blank,
  required,
  onChange,
}: {
  label: string;
  value: V | '';
  choices: readonly Choice<V>[];
  blank?: string;
  required?: boolean;
  onChange: (value: V | '') => void;
}) {
  return (
    <label style={FIELD}>
      {label}{' '}
      <select value={value} required={required} onChange={(e) => onChange(e.target.value as V | '')}>
        {blank === undefined ? null : <option value="">{blank}</option>}
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.text}
          </option>
        ))}
      </select>
    </label>
  );
}

export function FeedbackForm({
  lang,
  form,
  submit,
  newKey,
}: {
  lang: Lang;
  form: FormInfo;
  submit: (values: FeedbackValues, idempotencyKey: string) => Promise<{ savedAt: number }>;
  /** A fresh UUID; one per form filled, kept across resends so a retry never duplicates. */
  newKey: () => string;
}) {
  const id = useId();
  const [key, setKey] = useState(newKey);
  const [verdict, setVerdict] = useState<FeedbackVerdict | ''>('');
  const [bant, setBant] = useState<Record<BantItem, Answer>>({
    budget: 'unknown',
    authority: 'unknown',
    need: 'unknown',
    timing: 'unknown',
  });
  const [timeframe, setTimeframe] = useState<Timeframe | ''>('');
  const [reasonCode, setReasonCode] = useState('');
  const [method, setMethod] = useState<ContactMethod | ''>('');
  const [rating, setRating] = useState('');
  const [comment, setComment] = useState('');
  const [status, setStatus] = useState<
    { kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; text: string }
  >({
    kind: 'idle',
  });

  const reasons = useMemo(
    () =>
      verdict === 'reject' || verdict === 'recycle'
        ? form.reasons.filter((r) => r.appliesTo.includes(verdict))
        : [],
    [form.reasons, verdict],
  );
  const needsReason = verdict === 'reject' || verdict === 'recycle';
  // The SQL definition's BANT rule, said while the rep fills the form and enforced on sending.
  const shortfall = verdict === 'accept_sql' ? bantShortfall(bant, form.bantMinConfirmed) : null;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!verdict) return;
    if (needsReason && !reasonCode) {
      setStatus({ kind: 'error', text: t.reasonRequired[lang] });
      return;
    }
    if (shortfall) {
      setStatus({ kind: 'error', text: shortfall[lang] });
      return;
    }
    setStatus({ kind: 'saving' });
    const values: FeedbackValues = {
      verdict,
      // BANT is what sales checked: sent when accepting as SQL (required there) or when any item was answered.
      ...(verdict === 'accept_sql' || Object.values(bant).some((a) => a !== 'unknown') || timeframe
        ? { bant: { ...bant, ...(timeframe ? { timeframe } : {}) } }
        : {}),
      ...(needsReason ? { reasonCode } : {}),
      ...(method ? { contactMethod: method } : {}),
      ...(rating ? { rating: Number(rating) } : {}),
      ...(comment.trim() ? { comment: comment.trim() } : {}),
    };
    try {
      await submit(values, key);
      setStatus({ kind: 'saved' });
      setKey(newKey());
    } catch (error) {
      setStatus({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    }
  };

  // Choices side by side, wrapping: the form must fit Chrome's 600-px popup as well as the page's frame.
  const choices = { display: 'flex', flexWrap: 'wrap', columnGap: 12 } as const;
  return (
    <form onSubmit={onSubmit} aria-labelledby={`${id}-title`} style={{ display: 'grid', gap: 8 }}>
      <h2 id={`${id}-title`} style={{ fontSize: 14, margin: 0 }}>
        {t.title[lang]}
      </h2>
      <p style={{ margin: 0, color: '#5c6670' }}>
        {t.version[lang]}: {form.rulesVersion === 0 ? t.builtIn[lang] : `v${form.rulesVersion}`}
      </p>
      <fieldset style={choices}>
        <legend>{t.verdict[lang]}</legend>
        {(Object.keys(VERDICTS) as FeedbackVerdict[]).map((v) => (
          <label key={v} style={FIELD}>
            <input
              type="radio"
              name={`${id}-verdict`}
              value={v}
              checked={verdict === v}
              required
              onChange={() => {
                setVerdict(v);
                setReasonCode('');
              }}
            />{' '}
            {VERDICTS[v][lang]}
          </label>
        ))}
      </fieldset>
      {needsReason && (
        <ChoiceField
          label={t.reason[lang]}
          value={reasonCode}
          blank={t.choose[lang]}
          required
          choices={reasons.map((r) => ({ value: r.code, text: r.label[lang] }))}
          onChange={setReasonCode}
        />
      )}
      <fieldset style={choices}>
        <legend>{t.bant[lang]}</legend>
        {(Object.keys(BANT_ITEMS) as BantItem[]).map((item) => (
          <ChoiceField
            key={item}
            label={BANT_ITEMS[item][lang]}
            value={bant[item]}
            choices={choicesOf(ANSWERS, lang)}
            onChange={(a) => setBant({ ...bant, [item]: a as Answer })}
          />
        ))}
        <ChoiceField
          label={t.timeframe[lang]}
          value={timeframe}
          blank={t.none[lang]}
          choices={choicesOf(TIMEFRAMES, lang)}
          onChange={setTimeframe}
        />
        {shortfall ? (
          <p data-testid="bant-shortfall" style={{ margin: '4px 0', color: '#8a4b00' }}>
            {shortfall[lang]}
          </p>
        ) : null}
      </fieldset>
      <ChoiceField
        label={t.method[lang]}
        value={method}
        blank={t.none[lang]}
        choices={form.contactMethods.map((m) => ({ value: m, text: METHODS[m][lang] }))}
        onChange={setMethod}
      />
      <ChoiceField
        label={t.rating[lang]}
        value={rating}
        blank={t.none[lang]}
        choices={['1', '2', '3', '4', '5'].map((r) => ({ value: r, text: r }))}
        onChange={setRating}
      />
      <label style={FIELD}>
        {t.comment[lang]}
        <textarea
          value={comment}
          maxLength={2000}
          rows={3}
          style={{ display: 'block', width: '100%', boxSizing: 'border-box' }}
          onChange={(e) => setComment(e.target.value)}
        />
      </label>
      <button type="submit" disabled={status.kind === 'saving'}>
        {status.kind === 'saving' ? t.saving[lang] : t.send[lang]}
      </button>
      {status.kind === 'saved' && (
        <p role="status">{form.syncConfigured ? t.saved[lang] : t.savedLocally[lang]}</p>
      )}
      {status.kind === 'error' && <p role="alert">{status.text}</p>}
      {form.sent.length > 0 && (
        <section aria-label={t.sent[lang]}>
          <h3 style={{ fontSize: 13, margin: 0 }}>{t.sent[lang]}</h3>
          <ul style={{ margin: 0, paddingLeft: 16 }}>
            {form.sent.map((s) => (
              <li key={s.at}>
                {VERDICTS[s.verdict][lang]} · {new Date(s.at).toLocaleString(lang)} · {STATES[s.state][lang]}
              </li>
            ))}
          </ul>
        </section>
      )}
    </form>
  );
}
