import type { RuleVersion } from '../../lib/events';
import { type Lang, textTable } from '../../lib/i18n';
import { CADENCE_TEXT, FIRST_CONTACT_TEXT, fieldLabel } from '../../lib/rules/catalogue';
import {
  conditionText,
  durationText,
  escalationWhenText,
  percentText,
  thresholdText,
} from '../../lib/rules/describe';
import type { RuleSet } from '../../lib/rules/schema';

const UI = textTable({
  ja: {
    title: 'マーケティング・営業間 SLA（サービスレベル合意書）',
    version: 'バージョン',
    effective: '発効',
    mql: '1. MQL の定義',
    sql: '2. SQL の定義',
    threshold: '3. スコアの閾値',
    icp: 'ICP',
    fit: '主な属性スコア',
    triggers: '4. 即時引き渡しの行動トリガー',
    deadlines: '5. 初回コンタクトの期限',
    methods: '初回コンタクトの手段',
    escalation: '6. エスカレーション',
    feedback: '7. 営業からの評価',
    review: '8. 見直し',
    cadence: '見直し会議',
    thresholdReview: '閾値の見直し',
    signatures: '署名',
    marketing: 'マーケティング責任者',
    sales: '営業責任者',
    unsigned: '未署名',
    print: '印刷する',
    days: '日ごと',
    every: '',
    holidays: '祝日休み',
  },
  en: {
    title: 'Service level agreement between marketing and sales',
    version: 'Version',
    effective: 'Effective',
    mql: '1. MQL definition',
    sql: '2. SQL definition',
    threshold: '3. Score threshold',
    icp: 'ICP',
    fit: 'Main fit points',
    triggers: '4. Triggers that hand a lead over at once',
    deadlines: '5. First-contact deadlines',
    methods: 'First contact by',
    escalation: '6. Escalation',
    feedback: '7. Feedback from sales',
    review: '8. Review',
    cadence: 'Review meeting',
    thresholdReview: 'Threshold review',
    signatures: 'Signatures',
    marketing: 'Head of marketing',
    sales: 'Head of sales',
    unsigned: 'not signed',
    print: 'Print',
    days: 'days',
    every: 'every ',
    holidays: 'closed on national holidays',
  },
});

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
