/**
 * The engagement that made a lead worth a call, as the panel's short timeline of scored moments (Marketo
 * calls them interesting moments), and the agreed ways to make the first contact: both derived by the
 * worker from the rules in force and the activities the page showed. Kept out of lib/lead-view.ts, which
 * the content script bundles: this needs the compiled rules.
 */

import { isoInZone } from './calendar/zone';
import type { LocalizedText } from './i18n';
import type { LeadSnapshot } from './lead';
import type { EngagementMoment, LeadView } from './lead-view';
import { parseInstant } from './normalize';
import type { RuleSet } from './rules';
import { FIRST_CONTACT_TEXT } from './rules/catalogue';
import { compileRules, interestIn, matchActivity } from './scoring/compile';

/** How many moments the panel lists: enough to see a pattern, few enough to read at a glance. */
export const MOMENT_LIMIT = 5;
const TITLE_MAX = 80;

/**
 * The lead's most recent activities that a positive engagement rule counts (inside the rule's window),
 * newest first. Activities after `now` are left out, as scoring leaves them out.
 */
export function recentEngagement(
  rules: RuleSet,
  snapshot: LeadSnapshot,
  now: number,
  zoned: (t: number) => string,
  limit = MOMENT_LIMIT,
): EngagementMoment[] {
  const compiled = compileRules(rules);
  const moments: (EngagementMoment & { t: number })[] = [];
  for (const activity of snapshot.activities) {
    const interest = interestIn(compiled.typeTable, activity.type);
    if (!interest) continue;
    // Read and bounded as scoring reads them (lib/scoring/score.ts prepareLead): the same activities count.
    const t = parseInstant(activity.at);
    if (!(t <= now && t >= 0)) continue;
    const counted = matchActivity(interest, activity.title, activity.url)
      .engagement.map((i) => compiled.engagementRules[i]!)
      .filter((rule) => rule.points > 0 && (rule.windowMs === null || now - t <= rule.windowMs));
    if (counted.length === 0) continue;
    const title = activity.title?.trim();
    moments.push({
      t,
      at: zoned(t),
      label: counted[0]!.label,
      ...(title ? { title: title.length > TITLE_MAX ? `${title.slice(0, TITLE_MAX - 1)}…` : title } : {}),
      points: counted.reduce((sum, rule) => sum + rule.points, 0),
    });
  }
  return moments
    .sort((a, b) => b.t - a.t)
    .slice(0, limit)
    .map(({ t: _t, ...moment }) => moment);
}

/** The agreed first-contact methods in words: 「電話・メール送信」, "call or email". */
export function contactMethodsText(methods: RuleSet['firstContactMethods']): LocalizedText {
  const words = methods.map((m) => FIRST_CONTACT_TEXT[m]);
  const en = words.map((w) => w.en);
  return {
    ja: words.map((w) => w.ja).join('・'),
    en: en.length <= 1 ? (en[0] ?? '') : `${en.slice(0, -1).join(', ')} or ${en.at(-1)}`,
  };
}

/** A view with what the panel's next step and timeline need, from the rules that made it. */
export function withEngagement(
  view: LeadView,
  rules: RuleSet,
  snapshot: LeadSnapshot,
  now: number,
): LeadView {
  return {
    ...view,
    contactBy: contactMethodsText(rules.firstContactMethods),
    moments: recentEngagement(rules, snapshot, now, (t) => isoInZone(t, rules.calendar.timeZone)),
  };
}
