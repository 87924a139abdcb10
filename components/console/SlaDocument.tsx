import type { RuleVersion } from '../../lib/events';
import type { Lang, LocalizedText } from '../../lib/i18n';
import { CADENCE_TEXT, FIRST_CONTACT_TEXT, fieldLabel } from '../../lib/rules/catalogue';
import {
  conditionText,
  durationText,
  escalationWhenText,
  percentText,
  thresholdText,
} from '../../lib/rules/describe';
import type { RuleSet } from '../../lib/rules/schema';

const UI = {
  title: {
    ja: 'マーケティング・営業間 SLA（サービスレベル合意書）',
    en: 'Service level agreement between marketing and sales',
  },
  version: { ja: 'バージョン', en: 'Version' },
  effective: { ja: '発効', en: 'Effective' },
  mql: { ja: '1. MQL の定義', en: '1. MQL definition' },
  sql: { ja: '2. SQL の定義', en: '2. SQL definition' },
  threshold: { ja: '3. スコアの閾値', en: '3. Score threshold' },
  icp: { ja: 'ICP', en: 'ICP' },
  fit: { ja: '主な属性スコア', en: 'Main fit points' },
  triggers: { ja: '4. 即時引き渡しの行動トリガー', en: '4. Triggers that hand a lead over at once' },
  deadlines: { ja: '5. 初回コンタクトの期限', en: '5. First-contact deadlines' },
  methods: { ja: '初回コンタクトの手段', en: 'First contact by' },
  escalation: { ja: '6. エスカレーション', en: '6. Escalation' },
  feedback: { ja: '7. 営業からの評価', en: '7. Feedback from sales' },
  review: { ja: '8. 見直し', en: '8. Review' },
  cadence: { ja: '見直し会議', en: 'Review meeting' },
  thresholdReview: { ja: '閾値の見直し', en: 'Threshold review' },
  signatures: { ja: '署名', en: 'Signatures' },
  marketing: { ja: 'マーケティング責任者', en: 'Head of marketing' },
  sales: { ja: '営業責任者', en: 'Head of sales' },
  unsigned: { ja: '未署名', en: 'not signed' },
  print: { ja: '印刷する', en: 'Print' },
  days: { ja: '日ごと', en: 'days' },
  every: { ja: '', en: 'every ' },
  holidays: { ja: '祝日休み', en: 'closed on national holidays' },
} satisfies Record<string, LocalizedText>;

function hoursLine(rules: RuleSet, lang: Lang): string {
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
  const names =
    lang === 'ja'
      ? ['月', '火', '水', '木', '金', '土', '日']
      : ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const open = days
    .map((d, i) => {
      const hours = rules.calendar.workingHours[d];
      return hours.length ? `${names[i]} ${hours.map((h) => `${h.start}–${h.end}`).join(', ')}` : null;
    })
    .filter(Boolean);
  const holidays = rules.calendar.nationalHolidays === 'jp' ? `; ${UI.holidays[lang]}` : '';
  const yearly = rules.calendar.yearlyHolidays
    .map((h) => `${h.name[lang]} ${h.from}–${h.to ?? h.from}`)
    .join(', ');
  return `${rules.calendar.timeZone}: ${open.join(' / ')}${holidays}${yearly ? `; ${yearly}` : ''}`;
}

/** One printable page both department heads can sign and file; the console's print stylesheet shows only it. */
export function SlaDocument({
  lang,
  rules,
  version,
  onPrint,
}: {
  lang: Lang;
  rules: RuleSet;
  version: Pick<RuleVersion, 'version' | 'activatedAt' | 'signoffs'> | null;
  onPrint?: () => void;
}) {
  const signer = (side: 'marketing' | 'sales') => version?.signoffs.find((s) => s.side === side);
  const fit = [...rules.fitRules].sort((a, b) => Math.abs(b.points) - Math.abs(a.points)).slice(0, 6);
  return (
    <article className="sla-document" lang={lang} aria-labelledby="sla-title">
      {onPrint ? (
        <button type="button" className="no-print" onClick={onPrint}>
          {UI.print[lang]}
        </button>
      ) : null}
      <h2 id="sla-title">{UI.title[lang]}</h2>
      <p>
        {rules.name[lang]}
        {version ? ` · ${UI.version[lang]} ${version.version}` : ''}
        {version?.activatedAt ? ` · ${UI.effective[lang]} ${version.activatedAt.slice(0, 10)}` : ''}
      </p>
      <h3>{UI.mql[lang]}</h3>
      <p>{rules.definitions.mql[lang]}</p>
      <h3>{UI.sql[lang]}</h3>
      <p>{rules.definitions.sql[lang]}</p>
      <p data-testid="sla-bant">
        {lang === 'ja'
          ? `SQL として受け入れるには、BANT（予算・決裁権・ニーズ・導入時期）の4項目中${rules.sqlBant.minConfirmed}項目以上をヒアリングで確認する。`
          : `To accept a lead as SQL, sales confirms at least ${rules.sqlBant.minConfirmed} of the 4 BANT items (budget, authority, need, timing) in the conversation.`}
      </p>
      <h3>{UI.threshold[lang]}</h3>
      <p>
        {thresholdText(rules.threshold)[lang]}
        {rules.requireIcpMatch ? (lang === 'ja' ? '（ICP 一致が必須）' : ' (ICP match required)') : ''}
      </p>
      <p>
        {UI.icp[lang]}: {rules.icp.industries.map((i) => i.label[lang]).join(', ')}
        {rules.icp.employees
          ? ` · ${rules.icp.employees.min ?? ''}–${rules.icp.employees.max ?? ''}${lang === 'ja' ? '名' : ' employees'}`
          : ''}
        {rules.icp.titles.length ? ` · ${rules.icp.titles.map((t) => t.label[lang]).join(', ')}` : ''}
      </p>
      <p>
        {UI.fit[lang]}: {fit.map((r) => `${r.label[lang]} ${r.points > 0 ? '+' : ''}${r.points}`).join(', ')}
      </p>
      <h3>{UI.triggers[lang]}</h3>
      <ul>
        {rules.triggers.map((t) => (
          <li key={t.id}>{t.label[lang]}</li>
        ))}
      </ul>
      <h3>{UI.deadlines[lang]}</h3>
      <ul>
        {rules.sla.tiers.map((tier) => (
          <li key={tier.id}>
            {tier.label[lang]}: {durationText(tier.duration)[lang]}
          </li>
        ))}
      </ul>
      <p>
        {fieldLabel('calendar')[lang]}: {hoursLine(rules, lang)}
      </p>
      <p>
        {UI.methods[lang]}: {rules.firstContactMethods.map((m) => FIRST_CONTACT_TEXT[m][lang]).join(', ')}
      </p>
      <h3>{UI.escalation[lang]}</h3>
      <ol>
        {rules.escalation.steps.map((s) => (
          <li key={s.id}>
            {s.label[lang]} ({escalationWhenText(s.when)[lang]})
          </li>
        ))}
      </ol>
      <h3>{UI.feedback[lang]}</h3>
      <p>{rules.feedbackReasons.map((r) => r.label[lang]).join(', ')}</p>
      <h3>{UI.review[lang]}</h3>
      <p>
        {UI.cadence[lang]}: {CADENCE_TEXT[rules.review.cadence][lang]} · {UI.thresholdReview[lang]}:{' '}
        {UI.every[lang]}
        {rules.review.thresholdReviewEveryDays} {UI.days[lang]} · {fieldLabel('conversionTarget')[lang]}:{' '}
        {percentText(rules.conversionTarget.min)}–{percentText(rules.conversionTarget.max)}
      </p>
      <h3>{UI.signatures[lang]}</h3>
      <dl className="signatures">
        {(['marketing', 'sales'] as const).map((side) => {
          const s = signer(side);
          return (
            <div key={side}>
              <dt>{UI[side][lang]}</dt>
              <dd>{s ? `${s.by.name} · ${s.at.slice(0, 10)}` : UI.unsigned[lang]}</dd>
            </div>
          );
        })}
      </dl>
      {/* Kept for readers who compare a fit rule's wording with the CRM; not shown on paper. */}
      <details className="no-print">
        <summary>{lang === 'ja' ? '属性ルールの条件' : 'Fit rule conditions'}</summary>
        <ul>
          {rules.fitRules.map((r) => (
            <li key={r.id}>
              {r.label[lang]}: {conditionText(r.condition)[lang]}
            </li>
          ))}
        </ul>
      </details>
    </article>
  );
}
