/**
 * The fifteen items of the SLA design checklist (docs/rules.md names the rule field behind each as
 * "checklist N"; `checklistItems` below lists them), each met or not, with
 * the reason read from the active rules and this browser's settings, and the console place that sets it.
 */
import { isoDateIn } from './calendar/zone';
import type { RuleVersion } from './events';
import type { LocalizedText } from './i18n';
import { reviewDue } from './review';
import { CADENCE_TEXT, FIRST_CONTACT_TEXT, type RulesSection } from './rules/catalogue';
import { defaultRuleSet } from './rules/defaults';
import { durationText, escalationWhenText, percentText, thresholdText } from './rules/describe';
import type { RuleSet } from './rules/schema';

/** Where in the extension an item is set. */
export type ConsolePlace =
  | { tab: 'rules'; section: RulesSection }
  | { tab: 'agreement' }
  | { tab: 'options' };

export interface ChecklistSettings {
  /** This browser syncs with an endpoint, so statuses, alerts and feedback reach the team. */
  endpointConfigured: boolean;
  /** The endpoint's active version with its sign-offs; null without an endpoint or before any. */
  agreement: Pick<RuleVersion, 'version' | 'signoffs' | 'activation' | 'activatedAt'> | null;
  now: number;
}

export interface ChecklistItem {
  /** 1–15, as numbered in the checklist. */
  number: number;
  title: LocalizedText;
  met: boolean;
  reason: LocalizedText;
  place: ConsolePlace;
  /** Unmet only because it is still Baton's default: confirming it (checklistConfirmed) meets it. */
  undecided?: true;
}

const rulesAt = (section: RulesSection): ConsolePlace => ({ tab: 'rules', section });

function joined(texts: readonly LocalizedText[]): LocalizedText {
  return { ja: texts.map((t) => t.ja).join('、'), en: texts.map((t) => t.en).join('; ') };
}

function excerpt(text: LocalizedText): LocalizedText {
  const cut = (s: string) => (s.length > 60 ? `${s.slice(0, 59)}…` : s);
  return { ja: `「${cut(text.ja)}」`, en: `"${cut(text.en)}"` };
}

function definitionItem(number: number, which: 'mql' | 'sql', rules: RuleSet): ChecklistItem {
  const name = which.toUpperCase();
  const text = rules.definitions[which];
  const isDefault =
    text.ja === defaultRuleSet.definitions[which].ja &&
    text.en === defaultRuleSet.definitions[which].en &&
    !rules.checklistConfirmed.includes(number);
  return {
    number,
    title: { ja: `${name} の定義を文書化`, en: `${name} definition documented` },
    met: text.ja.trim() !== '' && text.en.trim() !== '',
    reason: isDefault
      ? {
          ja: `Baton の既定の文言のままです。営業と合意した${name}の定義に書き換えてください`,
          en: `Still Baton's default wording: write the ${name} definition you agreed with sales`,
        }
      : excerpt(text),
    place: rulesAt('definitions'),
  };
}

function agreementItem(settings: ChecklistSettings, timeZone: string): ChecklistItem {
  const title = { ja: 'マーケティングと営業で SLA を合意', en: 'SLA agreed between marketing and sales' };
  const place: ConsolePlace = { tab: 'agreement' };
  const a = settings.agreement;
  if (!settings.endpointConfigured || a === null) {
    return {
      number: 13,
      title,
      met: false,
      reason: {
        ja: 'エンドポイントで署名された有効なルールがありません（提案し、両部門の承認を得てください）',
        en: 'No signed rule set is active on the endpoint: propose one and get both sign-offs',
      },
      place,
    };
  }
  const marketing = a.signoffs.find((s) => s.side === 'marketing');
  const sales = a.signoffs.find((s) => s.side === 'sales');
  if (a.activation === 'signoffs' && marketing && sales) {
    const day = isoDateIn(timeZone, Date.parse(a.activatedAt ?? sales.at));
    return {
      number: 13,
      title,
      met: true,
      reason: {
        ja: `バージョン ${a.version}: マーケティング ${marketing.by.name}・営業 ${sales.by.name} が署名（${day} 有効化）`,
        en: `Version ${a.version}: signed by ${marketing.by.name} (marketing) and ${sales.by.name} (sales), active since ${day}`,
      },
      place,
    };
  }
  return {
    number: 13,
    title,
    met: false,
    reason:
      a.activation === 'admin'
        ? {
            ja: `バージョン ${a.version} は管理者のロールバックで有効化され、両部門の署名がありません`,
            en: `Version ${a.version} was activated by an admin's rollback, without both sign-offs`,
          }
        : {
            ja: `バージョン ${a.version} は初期設定のルールで、両部門の署名がありません`,
            en: `Version ${a.version} is the seeded default, signed by neither department`,
          },
    place,
  };
}

/**
 * The part of the rules each item is about (13, the agreement, is decided by its signatures). An item is
 * decided once that part differs from Baton's default or the team confirmed it (checklistConfirmed): the
 * practice warns against adopting another company's numbers unexamined, so a default is not a decision.
 */
const DECIDES: Partial<Record<number, (rules: RuleSet) => unknown>> = {
  1: (r) => r.definitions.mql,
  2: (r) => [r.definitions.sql, r.sqlBant],
  3: (r) => [r.fitRules, r.engagementRules, r.engagementDecay],
  4: (r) => [r.threshold, r.fitGrades, r.requireIcpMatch],
  5: (r) => [r.icp, r.emailDomains],
  6: (r) => [r.triggers, r.exclusions],
  7: (r) => r.sla,
  8: (r) => r.firstContactMethods,
  9: (r) => r.conversionTarget,
  10: (r) => r.statusMapping,
  11: (r) => r.escalation,
  12: (r) => r.feedbackReasons,
  14: (r) => r.review.cadence,
  15: (r) => r.review.thresholdReviewEveryDays,
};

/** JSON with object keys sorted, so an edit that only reorders keys is not a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Whether the team decided item `number`: changed from the default, or confirmed as it is. */
export function isDecided(rules: RuleSet, number: number): boolean {
  const part = DECIDES[number];
  if (part === undefined) return true;
  if (rules.checklistConfirmed.includes(number)) return true;
  return canonical(part(rules)) !== canonical(part(defaultRuleSet));
}

const UNDECIDED: LocalizedText = {
  ja: 'Baton の既定値のままです。チームで決めて変更するか、既定値のままで良いと確認してください',
  en: "Still Baton's default: change it to what the team decided, or confirm the default as decided",
};

const OWN_DATA_TARGET: LocalizedText = {
  ja: '20〜30% は一般に言われる数字で、業種・商材・チャネルで変わります。自社の過去の実績から目標を決めてください',
  en: 'The 20–30% often quoted varies by industry, product and channel: set the target from your own history',
};

export function checklist(rules: RuleSet, settings: ChecklistSettings): ChecklistItem[] {
  return checklistItems(rules, settings).map((item) => {
    if (!item.met || isDecided(rules, item.number)) return item;
    const why = item.number === 9 ? OWN_DATA_TARGET : UNDECIDED;
    // The definitions already say they are Baton's wording.
    if (item.number === 1 || item.number === 2) return { ...item, met: false, undecided: true };
    return {
      ...item,
      met: false,
      undecided: true,
      reason: { ja: `${why.ja}（現在: ${item.reason.ja}）`, en: `${why.en} (now: ${item.reason.en})` },
    };
  });
}

function checklistItems(rules: RuleSet, settings: ChecklistSettings): ChecklistItem[] {
  const icpParts: LocalizedText[] = [];
  if (rules.icp.industries.length) icpParts.push(joined(rules.icp.industries.map((i) => i.label)));
  if (rules.icp.employees) {
    const span = `${rules.icp.employees.min ?? ''}–${rules.icp.employees.max ?? ''}`;
    icpParts.push({ ja: `${span}名`, en: `${span} employees` });
  }
  if (rules.icp.titles.length) icpParts.push(joined(rules.icp.titles.map((t) => t.label)));
  if (rules.icp.regions.length) icpParts.push(joined(rules.icp.regions.map((r) => r.label)));

  const alerting = rules.escalation.steps.filter((s) => s.kind === 'reminder' || s.kind === 'owner');
  const mappedCrms = Object.entries(rules.statusMapping).filter(([, m]) => m && Object.keys(m).length > 0);
  const reasonsFor = (use: 'reject' | 'recycle') =>
    rules.feedbackReasons.filter((r) => r.appliesTo.includes(use)).length;
  const review = reviewDue(
    rules,
    settings.agreement?.activatedAt ? Date.parse(settings.agreement.activatedAt) : null,
    settings.now,
  );
  const noEndpoint = {
    ja: 'エンドポイント未設定のため、各ブラウザーが単独で記録しチームに共有されません',
    en: 'No endpoint is set, so each browser records alone and nothing reaches the team',
  };

  return [
    definitionItem(1, 'mql', rules),
    definitionItem(2, 'sql', rules),
    {
      number: 3,
      title: {
        ja: 'スコアリング基準（属性・行動）を設定',
        en: 'Scoring criteria set (attributes and behaviour)',
      },
      met: rules.fitRules.length > 0 && rules.engagementRules.length > 0,
      reason: {
        ja: `属性ルール ${rules.fitRules.length} 件・行動ルール ${rules.engagementRules.length} 件`,
        en: `${rules.fitRules.length} fit rules, ${rules.engagementRules.length} behaviour rules`,
      },
      place: rulesAt(rules.fitRules.length === 0 ? 'fitRules' : 'engagementRules'),
    },
    {
      number: 4,
      title: { ja: 'スコアの閾値を設定', en: 'Scoring threshold set' },
      met: true,
      reason: thresholdText(rules.threshold),
      place: rulesAt('threshold'),
    },
    {
      number: 5,
      title: { ja: 'ICP を定義', en: 'ICP defined' },
      met: icpParts.length > 0,
      reason: icpParts.length
        ? joined(icpParts)
        : {
            ja: '業種・企業規模・役職・地域のいずれも未定義です',
            en: 'No industry, size, title or region defined',
          },
      place: rulesAt('icp'),
    },
    {
      number: 6,
      title: { ja: '引き渡しのトリガー条件を明示', en: 'Handoff trigger conditions explicit' },
      met: rules.triggers.length > 0,
      reason: rules.triggers.length
        ? joined(rules.triggers.map((t) => t.label))
        : {
            ja: '行動トリガーがありません（スコアのみで引き渡し）',
            en: 'No behaviour trigger: handoff by score only',
          },
      place: rulesAt('triggers'),
    },
    {
      number: 7,
      title: { ja: '引き渡し後の営業の対応期限を設定', en: 'Sales response deadline after handoff set' },
      met: rules.sla.tiers.length > 0,
      reason: joined(
        rules.sla.tiers.map((t) => {
          const d = durationText(t.duration);
          return { ja: `${t.label.ja}: ${d.ja}`, en: `${t.label.en}: ${d.en}` };
        }),
      ),
      place: rulesAt('sla'),
    },
    {
      number: 8,
      title: { ja: '初回コンタクトの方法を決定', en: 'First-contact method decided' },
      met: rules.firstContactMethods.length > 0,
      reason: joined(rules.firstContactMethods.map((m) => FIRST_CONTACT_TEXT[m])),
      place: rulesAt('firstContactMethods'),
    },
    {
      number: 9,
      title: { ja: 'MQL→SQL 転換率の目標を設定', en: 'MQL→SQL conversion target set' },
      met: rules.conversionTarget.max > 0,
      reason:
        rules.conversionTarget.max > 0
          ? {
              ja: `${percentText(rules.conversionTarget.min)}〜${percentText(rules.conversionTarget.max)}`,
              en: `${percentText(rules.conversionTarget.min)}–${percentText(rules.conversionTarget.max)}`,
            }
          : { ja: '目標が 0% です', en: 'The target is 0%' },
      place: rulesAt('conversionTarget'),
    },
    {
      number: 10,
      title: { ja: '引き渡し後のフォロー状況を追跡', en: 'Follow-up status tracked after handoff' },
      met: settings.endpointConfigured && mappedCrms.length > 0,
      reason: !settings.endpointConfigured
        ? noEndpoint
        : mappedCrms.length
          ? {
              ja: `${mappedCrms.map(([crm]) => crm).join('・')} のステータスを対応付け、チームで共有`,
              en: `Statuses of ${mappedCrms.map(([crm]) => crm).join(', ')} mapped and shared with the team`,
            }
          : { ja: 'CRM のステータスが対応付けられていません', en: 'No CRM status is mapped to a stage' },
      place: settings.endpointConfigured ? rulesAt('statusMapping') : { tab: 'options' },
    },
    {
      number: 11,
      title: { ja: '放置されたリードのアラート', en: 'Alert when a lead sits untouched' },
      met: alerting.length > 0,
      reason: alerting.length
        ? joined(
            alerting.map((s) => {
              const w = escalationWhenText(s.when);
              return { ja: `${s.label.ja}（${w.ja}）`, en: `${s.label.en} (${w.en})` };
            }),
          )
        : {
            ja: '担当者へのリマインド・期限超過通知がありません',
            en: 'No reminder or breach notice to the owner',
          },
      place: rulesAt('escalation'),
    },
    {
      number: 12,
      title: {
        ja: '営業からマーケティングへの評価のルール',
        en: 'Feedback rule from sales to marketing',
      },
      met: settings.endpointConfigured && reasonsFor('reject') > 0 && reasonsFor('recycle') > 0,
      reason: !settings.endpointConfigured
        ? noEndpoint
        : reasonsFor('reject') > 0 && reasonsFor('recycle') > 0
          ? {
              ja: `却下の理由 ${reasonsFor('reject')} 件・ナーチャリングへ戻す理由 ${reasonsFor('recycle')} 件`,
              en: `${reasonsFor('reject')} reasons to reject, ${reasonsFor('recycle')} to recycle`,
            }
          : {
              ja: '却下とナーチャリングへ戻す場合の両方に理由コードを用意してください',
              en: 'Give reason codes for both rejecting and recycling',
            },
      place: settings.endpointConfigured ? rulesAt('feedbackReasons') : { tab: 'options' },
    },
    agreementItem(settings, rules.calendar.timeZone),
    {
      number: 14,
      title: { ja: '見直し会議の頻度を決定', en: 'Review meeting cadence decided' },
      met: true,
      reason: review.meeting.due
        ? {
            ja: `${CADENCE_TEXT[rules.review.cadence].ja}（次回の会議の時期です）`,
            en: `${CADENCE_TEXT[rules.review.cadence].en} (the next meeting is due)`,
          }
        : {
            ja: `${CADENCE_TEXT[rules.review.cadence].ja}（次回 ${review.meeting.dueOn}）`,
            en: `${CADENCE_TEXT[rules.review.cadence].en} (next ${review.meeting.dueOn})`,
          },
      place: rulesAt('review'),
    },
    {
      number: 15,
      title: { ja: '閾値の見直し周期を設定', en: 'Threshold review cycle set' },
      met: true,
      reason: {
        ja: `${rules.review.thresholdReviewEveryDays}日ごと${review.threshold.due ? '（見直しの時期です）' : `（次回 ${review.threshold.dueOn}）`}`,
        en: `Every ${rules.review.thresholdReviewEveryDays} days${review.threshold.due ? ' (a review is due)' : ` (next ${review.threshold.dueOn})`}`,
      },
      place: rulesAt('review'),
    },
  ];
}
