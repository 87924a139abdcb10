import { type FormEvent, useId, useMemo, useState } from 'react';
import { bantShortfall } from '../lib/bant';
import type { Bant, ContactMethod, FeedbackVerdict } from '../lib/events';
import type { Lang, LocalizedText } from '../lib/i18n';
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

const t = {
  title: { ja: 'リードの評価を送る', en: 'Feedback on this lead' },
  verdict: { ja: '判定', en: 'Verdict' },
  verdicts: {
    accept_sql: { ja: 'SQL として受け入れ', en: 'Accept as SQL' },
    reject: { ja: '却下', en: 'Reject' },
    recycle: { ja: 'ナーチャリングへ戻す', en: 'Send back to nurture' },
    wrong_owner: { ja: '担当者違い', en: 'Wrong owner' },
    duplicate: { ja: '重複', en: 'Duplicate' },
  } satisfies Record<FeedbackVerdict, LocalizedText>,
  bant: { ja: 'BANT（ヒアリングで確認できたか）', en: 'BANT (confirmed in the conversation?)' },
  bantItems: {
    budget: { ja: '予算', en: 'Budget' },
    authority: { ja: '決裁権', en: 'Authority' },
    need: { ja: 'ニーズ', en: 'Need' },
    timing: { ja: '導入時期', en: 'Timing' },
  },
  answers: {
    yes: { ja: 'はい', en: 'Yes' },
    no: { ja: 'いいえ', en: 'No' },
    unknown: { ja: '不明', en: 'Unknown' },
  } satisfies Record<Answer, LocalizedText>,
  timeframe: { ja: '導入時期の目安', en: 'Timeframe' },
  timeframes: {
    within_1_month: { ja: '1か月以内', en: 'Within 1 month' },
    within_3_months: { ja: '3か月以内', en: 'Within 3 months' },
    within_6_months: { ja: '6か月以内', en: 'Within 6 months' },
    within_12_months: { ja: '12か月以内', en: 'Within 12 months' },
    later: { ja: 'それ以降', en: 'Later' },
    unknown: { ja: '不明', en: 'Unknown' },
  } satisfies Record<Timeframe, LocalizedText>,
  reason: { ja: '理由', en: 'Reason' },
  reasonRequired: {
    ja: '却下またはナーチャリングへ戻すときは理由を選んでください',
    en: 'Choose a reason to reject or send back to nurture',
  },
  choose: { ja: '選択してください', en: 'Choose…' },
  method: { ja: '初回コンタクトの手段', en: 'First-contact method' },
  methods: {
    phone: { ja: '電話', en: 'Phone' },
    email: { ja: 'メール', en: 'Email' },
    meeting: { ja: '面談', en: 'Meeting' },
    other: { ja: 'その他', en: 'Other' },
  } satisfies Record<ContactMethod, LocalizedText>,
  none: { ja: '未選択', en: 'Not given' },
  rating: { ja: 'リードの質（1: 低い〜5: 高い）', en: 'Lead quality (1 poor – 5 excellent)' },
  comment: { ja: 'コメント', en: 'Comment' },
  send: { ja: '保存して送信', en: 'Save and send' },
  saving: { ja: '保存中…', en: 'Saving…' },
  saved: {
    ja: '保存しました。次の同期でマーケティングに届きます（オフラインでも失われません）',
    en: 'Saved. It reaches marketing at the next sync (kept even while offline)',
  },
  savedLocally: {
    ja: 'このブラウザーに保存しました。チームとの同期が設定されていないため、マーケティングにはまだ届きません（設定ページで同期を設定すると送られます）',
    en: 'Saved in this browser only. Team sync is not set up, so marketing does not see it yet (it is sent once sync is set up on the options page)',
  },
  version: { ja: 'MQL 判定に使われたルール', en: 'Rules that made it an MQL' },
  builtIn: { ja: '組み込みの既定ルール', en: 'the built-in default' },
  sent: { ja: 'このブラウザーから送った評価', en: 'Feedback sent from this browser' },
  states: {
    pending: { ja: '未送信', en: 'not sent yet' },
    sent: { ja: '送信済み', en: 'sent' },
    refused: { ja: '拒否された', en: 'refused' },
  },
};

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
  const [bant, setBant] = useState<Record<keyof typeof t.bantItems, Answer>>({
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

  const field = { display: 'block', margin: '4px 0' } as const;
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
        {(Object.keys(t.verdicts) as FeedbackVerdict[]).map((v) => (
          <label key={v} style={field}>
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
            {t.verdicts[v][lang]}
          </label>
        ))}
      </fieldset>
      {needsReason && (
        <label style={field}>
          {t.reason[lang]}{' '}
          <select value={reasonCode} required onChange={(e) => setReasonCode(e.target.value)}>
            <option value="">{t.choose[lang]}</option>
            {reasons.map((r) => (
              <option key={r.code} value={r.code}>
                {r.label[lang]}
              </option>
            ))}
          </select>
        </label>
      )}
      <fieldset style={choices}>
        <legend>{t.bant[lang]}</legend>
        {(Object.keys(t.bantItems) as (keyof typeof t.bantItems)[]).map((item) => (
          <label key={item} style={field}>
            {t.bantItems[item][lang]}{' '}
            <select
              value={bant[item]}
              onChange={(e) => setBant({ ...bant, [item]: e.target.value as Answer })}
            >
              {(Object.keys(t.answers) as Answer[]).map((a) => (
                <option key={a} value={a}>
                  {t.answers[a][lang]}
                </option>
              ))}
            </select>
          </label>
        ))}
        <label style={field}>
          {t.timeframe[lang]}{' '}
          <select value={timeframe} onChange={(e) => setTimeframe(e.target.value as Timeframe | '')}>
            <option value="">{t.none[lang]}</option>
            {(Object.keys(t.timeframes) as Timeframe[]).map((f) => (
              <option key={f} value={f}>
                {t.timeframes[f][lang]}
              </option>
            ))}
          </select>
        </label>
        {shortfall ? (
          <p data-testid="bant-shortfall" style={{ margin: '4px 0', color: '#8a4b00' }}>
            {shortfall[lang]}
          </p>
        ) : null}
      </fieldset>
      <label style={field}>
        {t.method[lang]}{' '}
        <select value={method} onChange={(e) => setMethod(e.target.value as ContactMethod | '')}>
          <option value="">{t.none[lang]}</option>
          {form.contactMethods.map((m) => (
            <option key={m} value={m}>
              {t.methods[m][lang]}
            </option>
          ))}
        </select>
      </label>
      <label style={field}>
        {t.rating[lang]}{' '}
        <select value={rating} onChange={(e) => setRating(e.target.value)}>
          <option value="">{t.none[lang]}</option>
          {[1, 2, 3, 4, 5].map((r) => (
            <option key={r} value={String(r)}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <label style={field}>
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
                {t.verdicts[s.verdict][lang]} · {new Date(s.at).toLocaleString(lang)} ·{' '}
                {t.states[s.state][lang]}
              </li>
            ))}
          </ul>
        </section>
      )}
    </form>
  );
}
