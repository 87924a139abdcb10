import { browser } from 'wxt/browser';
import {
  type Alert,
  type AlertLead,
  defaultAlertSettings,
  leadAlerts,
  planAlerts,
  prunableClaims,
} from '../../lib/alerts';
import { isCrmPageUrl } from '../../lib/crm/hosts';
import { type Lang, langFromTag } from '../../lib/i18n';
import type { QueueItem } from '../../lib/messaging';
import type { RuleSet } from '../../lib/rules/schema';
import { escalationPlan } from '../../lib/sla/escalation';
import { formatDuration } from '../../lib/sla/format';
import { type AlertPrefs, alertPrefsSetting, defaultAlertPrefs } from '../alert-settings';
import { now } from '../clock';
import { PAGES_STALE_KEY } from '../content/refresh';
import { type BatonDb, db, type StoredAlert } from '../db';
import { EventRefused, record } from './outbox';
import { alertableQueue } from './queue';
import { NOTIFICATION_ICON } from './review-reminder';
import { rulesInForceWithSource } from './rules-store';

/**
 * Lead alerts in the worker: one alarm for the next moment something is due, desktop notifications
 * for due soon, overdue and each further ladder step, and manager/marketing steps recorded once as
 * escalation_step events. Everything is recomputed from what IndexedDB holds (MV3 stops the worker at
 * any moment, and the computer may have slept), and what was told is kept there, so nothing repeats.
 */
export const ALERTS_ALARM = 'baton-alerts';
const NOTIFICATION_PREFIX = 'baton-alert:';
const SUMMARY_NOTIFICATION = 'baton-alert-summary';
/** Where a summary click leads: the console lists every open lead by urgency. */
export const SUMMARY_PAGE = '/console.html' as const;

export interface AlertDeps {
  database: BatonDb;
  now(): number | Promise<number>;
  lang(): Lang;
  rules(): Promise<{ rules: RuleSet; eventVersion: number }>;
  /** The rep's choices on the options page; all on when absent. */
  prefs?(): Promise<AlertPrefs>;
}

export interface AlertCheck {
  notified: string[];
  summarised: string[];
  recorded: string[];
  wakeAt: number | null;
}

/**
 * The facts lib/alerts needs of a lead this browser read, with the ladder its evaluation planned.
 * Alerts go to the rep who owns or has seen a lead: every lead with a view here, whether read on its
 * record page or as a row of a CRM list, with the team's facts merged in (queue.ts), so a handoff only a
 * colleague's browser saw is alerted and a colleague's contact silences it. A lead only the team state
 * knows (no view: never shown in this browser) gets none: it is another rep's, and their browser tells them.
 */
export function alertLead(rules: RuleSet, item: QueueItem, now: number): AlertLead | null {
  const view = item.view;
  if (!view?.handoff || item.sla.dueAt === null) return null;
  const steps = item.sla.ladder ?? ladderForTeamHandoff(rules, item, view.handoff.at, item.sla.dueAt, now);
  return {
    key: item.key,
    ...(view.name ? { name: view.name } : {}),
    ...(view.company ? { company: view.company } : {}),
    ...(item.url ? { url: item.url } : {}),
    handoffAt: view.handoff.at,
    dueAt: item.sla.dueAt,
    dueSoonAt: item.sla.dueSoonAt,
    contactedAt: item.sla.contactedAt,
    steps,
  };
}

/**
 * The ladder of a handoff the evaluation here did not plan: one only the team recorded (it names no
 * tier, so the default tier's clock times it), or a view stored before views carried their ladder.
 */
function ladderForTeamHandoff(
  rules: RuleSet,
  item: QueueItem,
  handoffAt: number,
  dueAt: number,
  now: number,
) {
  const tier =
    rules.sla.tiers.find((t) => t.id === item.sla.tierId) ?? rules.sla.tiers.find((t) => t.match.default)!;
  const plan = escalationPlan({
    calendar: rules.calendar,
    ladder: rules.escalation,
    tier,
    handoffAt,
    dueAt,
    firstContactAt: item.sla.contactedAt,
    now,
  });
  return plan.steps.map(({ stepId, kind, at }) => ({ stepId, kind, at }));
}

/**
 * The idempotency key of an escalation step: a UUID (version 5 layout) hashed from the lead, its handoff
 * and the step, so every browser that notices the same step of the same cycle sends the same key and the
 * endpoint stores it once, while a lead handed over again escalates again.
 */
export async function escalationKey(leadKey: string, handoffAt: number, stepId: string): Promise<string> {
  const bytes = new TextEncoder().encode(`baton:escalation_step:${leadKey}|${handoffAt}|${stepId}`);
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-1', bytes)).slice(0, 16);
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Shows what is due, records escalations, and sets the one alarm for the next moment. */
export async function checkAlerts(deps: AlertDeps): Promise<AlertCheck> {
  const { database } = deps;
  const now = await deps.now();
  const [{ rules, eventVersion }, items, stored, prefs] = await Promise.all([
    deps.rules(),
    alertableQueue(database, now),
    database.alerts.toArray(),
    deps.prefs?.() ?? defaultAlertPrefs,
  ]);
  const leads = items.flatMap((item) => alertLead(rules, item, now) ?? []);
  const leadKeys = new Map(items.map((i) => [i.key, { crm: i.crm, object: i.object, recordId: i.recordId }]));
  const notified = new Set(stored.filter((a) => a.toldAt !== undefined).map((a) => a.id));
  const recorded = new Set(stored.filter((a) => a.recordedAt !== undefined).map((a) => a.id));
  const plan = planAlerts({
    leads,
    calendar: rules.calendar,
    notified,
    recorded,
    now,
    settings: {
      ...defaultAlertSettings,
      kinds: { ...defaultAlertPrefs.kinds, ...prefs.kinds },
      // Stored data is a boundary: a malformed time falls back to the working day's start.
      digestTime: /^([01]\d|2[0-3]):[0-5]\d$/.test(prefs.digestTime ?? '') ? prefs.digestTime : null,
    },
  });
  // Every browser that notices a step must send the same event body under the same key (the endpoint
  // refuses a key reused with another body, server/storage/store.ts): the lead's owner as the CRM shows
  // it names the actor, never the rep whose browser happened to notice (two reps, two names).
  const owners = await database.leads.bulkGet(plan.escalations.map((a) => a.leadKey));
  const escalations = await Promise.all(
    plan.escalations.map(async (alert, i) => ({
      alert,
      key: await escalationKey(alert.leadKey, alert.handoffAt, alert.stepId!),
      actor: { name: (owners[i]?.snapshot.fields.owner?.trim() || 'Baton').slice(0, 200) },
    })),
  );
  // Every moment of every lead, for the claims: told ones include those a later one superseded.
  const byId = new Map(leads.flatMap((lead) => leadAlerts(lead)).map((a) => [a.id, a]));
  // Pruned inside the claim below; a moment claimed now is never among these (it lies inside the horizon).
  const prunable = prunableClaims(stored, leads, now, { maxAgeMs: defaultAlertSettings.maxAgeMs });

  // Claimed before showing: the alarm and a page's report may run this at once; only one may tell.
  const claimed = await database.transaction('rw', database.alerts, database.outbox, async () => {
    const rows = await database.alerts.bulkGet([...plan.told, ...escalations.map((e) => e.alert.id)]);
    const current = new Map(rows.flatMap((r) => (r ? [[r.id, r] as const] : [])));
    const told = plan.told.filter((id) => current.get(id)?.toldAt === undefined);
    const claim = (id: string): StoredAlert => {
      const alert = byId.get(id);
      return {
        ...(current.get(id) ?? { id, leadKey: alert?.leadKey ?? '' }),
        ...(alert ? { handoffAt: alert.handoffAt, at: alert.at } : {}),
        ...(alert?.url ? { url: alert.url } : {}),
      };
    };
    for (const id of told) current.set(id, { ...claim(id), toldAt: now });
    const recordedNow: string[] = [];
    for (const { alert, key, actor } of escalations) {
      if (current.get(alert.id)?.recordedAt !== undefined) continue;
      const label = [alert.company, alert.name].filter(Boolean).join(' / ');
      const lead = leadKeys.get(alert.leadKey);
      // The endpoint takes only an https page of the lead's CRM: any other link goes, the step still goes.
      const url = alert.url && lead && isCrmPageUrl(lead.crm, alert.url) ? alert.url : undefined;
      try {
        await record(
          database,
          [
            {
              type: 'escalation_step',
              idempotencyKey: key,
              occurredAt: new Date(alert.at).toISOString(),
              lead,
              rulesVersion: eventVersion,
              actor,
              stepId: alert.stepId,
              kind: alert.stepKind,
              // With lead, step and kind, what the endpoint stores the step once by.
              handoffAt: new Date(alert.handoffAt).toISOString(),
              dueAt: new Date(alert.dueAt).toISOString(),
              ...(label ? { leadLabel: label.slice(0, 200) } : {}),
              ...(url ? { url } : {}),
            },
          ],
          now,
        );
      } catch (error) {
        if (!(error instanceof EventRefused)) throw error;
        console.warn('Baton: an escalation event did not validate', error.reason.en);
      }
      current.set(alert.id, { ...claim(alert.id), recordedAt: now });
      recordedNow.push(alert.id);
    }
    await database.alerts.bulkPut([...current.values()]);
    await database.alerts.bulkDelete(prunable.filter((id) => !current.has(id)));
    return { told: new Set(told), recorded: recordedNow };
  });

  const lang = deps.lang();
  const notify = plan.notify.filter((a) => claimed.told.has(a.id));
  const summary = plan.summary.filter((a) => claimed.told.has(a.id));
  for (const alert of notify) {
    await browser.notifications.create(`${NOTIFICATION_PREFIX}${alert.id}`, {
      type: 'basic',
      iconUrl: NOTIFICATION_ICON,
      title: alertTitle(alert, lang),
      message: alertMessage(alert, now, lang),
      priority: alert.kind === 'due_soon' ? 1 : 2,
      silent: !prefs.sound,
    });
  }
  if (summary.length > 0) {
    await browser.notifications.create(SUMMARY_NOTIFICATION, {
      type: 'basic',
      iconUrl: NOTIFICATION_ICON,
      title:
        lang === 'ja'
          ? `Baton: 対応が必要なリード ${summary.length} 件`
          : `Baton: ${summary.length} lead${summary.length === 1 ? '' : 's'} need attention`,
      message: summary
        .slice(0, 5)
        .map((a) => `${leadName(a)}: ${alertMessage(a, now, lang)}`)
        .join('\n'),
      priority: 2,
      silent: !prefs.sound,
    });
  }
  await scheduleWake(plan.wakeAt, now);
  return {
    notified: notify.map((a) => a.id),
    summarised: summary.map((a) => a.id),
    recorded: claimed.recorded,
    wakeAt: plan.wakeAt,
  };
}

/**
 * Alarms run on the system clock; `now` may not be (the e2e build shifts it), so the wake-up is set at
 * the same distance from the system clock as from `now`.
 */
async function scheduleWake(wakeAt: number | null, now: number): Promise<void> {
  if (wakeAt === null) {
    await browser.alarms.clear(ALERTS_ALARM);
    return;
  }
  await browser.alarms.create(ALERTS_ALARM, { when: Date.now() + Math.max(0, wakeAt - now) });
}

function leadName(alert: Alert): string {
  return [alert.name, alert.company].filter(Boolean).join(' · ') || alert.leadKey;
}

function alertTitle(alert: Alert, lang: Lang): string {
  const name = leadName(alert);
  if (alert.kind === 'due_soon') return lang === 'ja' ? `期限間近: ${name}` : `Due soon: ${name}`;
  if (alert.kind === 'overdue') return lang === 'ja' ? `期限超過: ${name}` : `Overdue: ${name}`;
  return alert.stepKind === 'manager'
    ? lang === 'ja'
      ? `マネージャーへエスカレーション: ${name}`
      : `Escalated to the manager: ${name}`
    : lang === 'ja'
      ? `マーケティングに確認を依頼: ${name}`
      : `Flagged back to marketing: ${name}`;
}

function alertMessage(alert: Alert, now: number, lang: Lang): string {
  const left = alert.dueAt - now;
  const span = formatDuration(left, lang);
  if (left > 0) return lang === 'ja' ? `初回対応の期限まであと${span}` : `${span} left for first contact`;
  return lang === 'ja' ? `初回対応の期限を${span}超過` : `First contact ${span} overdue`;
}

/** Opens the lead's CRM page (or the console, for a summary) when a notification is clicked. */
export async function onAlertClicked(database: BatonDb, notificationId: string): Promise<void> {
  if (notificationId === SUMMARY_NOTIFICATION) {
    await browser.tabs.create({ url: browser.runtime.getURL(SUMMARY_PAGE) });
  } else if (notificationId.startsWith(NOTIFICATION_PREFIX)) {
    const alert = await database.alerts.get(notificationId.slice(NOTIFICATION_PREFIX.length));
    if (alert?.url) await browser.tabs.create({ url: alert.url });
  } else {
    return;
  }
  await browser.notifications.clear(notificationId);
}

/**
 * Registers the alarm, click and change listeners (synchronously, in the worker's first turn, as MV3
 * requires) and checks once at start-up, after `startedUp`. `after` runs after every check (the badge).
 */
export function startAlerts(
  deps: AlertDeps,
  startedUp: Promise<unknown> = Promise.resolve(),
  after: () => Promise<void> = async () => {},
): {
  onAlarm(alarm: { name: string }): Promise<void>;
  onClicked(notificationId: string): Promise<void>;
  started: Promise<void>;
} {
  const check = async () => {
    await checkAlerts(deps).catch(report);
    await after().catch(report);
  };
  const onAlarm = async (alarm: { name: string }) => {
    if (alarm.name === ALERTS_ALARM) await check();
  };
  const onClicked = (id: string) => onAlertClicked(deps.database, id).catch(report);
  browser.alarms.onAlarm.addListener((alarm) => onAlarm(alarm));
  browser.notifications.onClicked.addListener((id) => onClicked(id));
  // The pages are told to re-render when the team's state brought news (a colleague's contact or
  // handoff) or the rules changed: the same news changes what is due, so the plan is made again too.
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && PAGES_STALE_KEY in changes) void check();
  });
  if (import.meta.env.MODE === 'e2e') {
    // Real-browser tests cannot click an OS notification: they call the listener's own handler with a
    // real notification id instead. The production bundle drops this branch (docs/decisions/0002).
    Object.assign(globalThis, { batonNotificationClicked: onClicked });
  }
  const started = (async () => {
    await startedUp.catch(() => undefined);
    await check();
  })();
  return { onAlarm, onClicked, started };
}

function report(error: unknown): void {
  console.warn('Baton: lead alerts failed', error);
}

/** The worker's real dependencies: the extension's database, clock, rules and the rep's choices. */
export function alertDeps(): AlertDeps {
  return {
    database: db(),
    now,
    lang: () => langFromTag(browser.i18n.getUILanguage()),
    rules: rulesInForceWithSource,
    prefs: () => alertPrefsSetting.getValue(),
  };
}
