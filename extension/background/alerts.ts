import { browser } from 'wxt/browser';
import { type Alert, type AlertLead, defaultAlertSettings, planAlerts } from '../../lib/alerts';
import { type Lang, langFromTag } from '../../lib/i18n';
import type { QueueItem } from '../../lib/messaging';
import type { RuleSet } from '../../lib/rules/schema';
import { escalationPlan } from '../../lib/sla/escalation';
import { formatDuration } from '../../lib/sla/format';
import { type AlertPrefs, alertPrefsSetting, defaultAlertPrefs } from '../alert-settings';
import { now } from '../clock';
import { type BatonDb, db } from '../db';
import { repNameSetting } from '../endpoint';
import { EventRefused, record } from './outbox';
import { queue } from './queue';
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

// Chrome's basic notification needs an icon and the extension ships none (see review-reminder.ts).
const ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAAAOklEQVR42u3OQQ0AAAgEoGtiNNuZ0xbOBxsBSPW8EiEhISEhISEhISEhISEhISEhISEhISEhISGhOwvpkUSXf9MgUgAAAABJRU5ErkJggg==';

export interface AlertDeps {
  database: BatonDb;
  now(): number | Promise<number>;
  lang(): Lang;
  rules(): Promise<{ rules: RuleSet; eventVersion: number }>;
  /** Who records the escalation events this browser noticed. */
  actorName(): Promise<string>;
  /** The rep's choices on the options page; all on when absent. */
  prefs?(): Promise<AlertPrefs>;
}

export interface AlertCheck {
  notified: string[];
  summarised: string[];
  recorded: string[];
  wakeAt: number | null;
}

/** The facts lib/alerts needs of a lead this browser read, with the ladder timed from the rules in force. */
export function alertLead(rules: RuleSet, item: QueueItem, now: number): AlertLead | null {
  const view = item.view;
  if (!view?.handoff || item.sla.dueAt === null) return null;
  // The view keeps the tier's label, not its id; the default tier stands in for a tier since renamed.
  const tier =
    rules.sla.tiers.find((t) => view.sla.tier !== null && t.label.en === view.sla.tier.en) ??
    rules.sla.tiers.find((t) => t.match.default)!;
  const plan = escalationPlan({
    calendar: rules.calendar,
    ladder: rules.escalation,
    tier,
    handoffAt: view.handoff.at,
    dueAt: item.sla.dueAt,
    firstContactAt: item.sla.contactedAt,
    now,
  });
  return {
    key: item.key,
    ...(view.name ? { name: view.name } : {}),
    ...(view.company ? { company: view.company } : {}),
    ...(item.url ? { url: item.url } : {}),
    handoffAt: view.handoff.at,
    dueAt: item.sla.dueAt,
    dueSoonAt: item.sla.dueSoonAt,
    contactedAt: item.sla.contactedAt,
    steps: plan.steps.map(({ stepId, kind, at }) => ({ stepId, kind, at })),
  };
}

/**
 * The idempotency key of an escalation step: a UUID (version 5 layout) hashed from the lead and the
 * step, so every browser that notices the same step sends the same key and the endpoint stores it once.
 */
export async function escalationKey(leadKey: string, stepId: string): Promise<string> {
  const bytes = new TextEncoder().encode(`baton:escalation_step:${leadKey}:${stepId}`);
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
    queue(database, now),
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
  const actor = { name: (await deps.actorName()).trim().slice(0, 200) || 'Baton' };
  const escalations = await Promise.all(
    plan.escalations.map(async (alert) => ({
      alert,
      key: await escalationKey(alert.leadKey, alert.stepId!),
    })),
  );
  const byId = new Map([...plan.notify, ...plan.summary].map((a) => [a.id, a]));

  // Claimed before showing: the alarm and a page's report may run this at once; only one may tell.
  const claimed = await database.transaction('rw', database.alerts, database.outbox, async () => {
    const rows = await database.alerts.bulkGet([...plan.told, ...escalations.map((e) => e.alert.id)]);
    const current = new Map(rows.flatMap((r) => (r ? [[r.id, r] as const] : [])));
    const told = plan.told.filter((id) => current.get(id)?.toldAt === undefined);
    for (const id of told) {
      const alert = byId.get(id);
      current.set(id, {
        ...(current.get(id) ?? { id, leadKey: alert?.leadKey ?? id.slice(0, id.lastIndexOf(':')) }),
        ...(alert?.url ? { url: alert.url } : {}),
        toldAt: now,
      });
    }
    const recordedNow: string[] = [];
    for (const { alert, key } of escalations) {
      if (current.get(alert.id)?.recordedAt !== undefined) continue;
      const label = [alert.company, alert.name].filter(Boolean).join(' / ');
      try {
        await record(
          database,
          [
            {
              type: 'escalation_step',
              idempotencyKey: key,
              occurredAt: new Date(alert.at).toISOString(),
              lead: leadKeys.get(alert.leadKey),
              rulesVersion: eventVersion,
              actor,
              stepId: alert.stepId,
              kind: alert.stepKind,
              dueAt: new Date(alert.dueAt).toISOString(),
              ...(label ? { leadLabel: label.slice(0, 200) } : {}),
              ...(alert.url ? { url: alert.url } : {}),
            },
          ],
          now,
        );
      } catch (error) {
        if (!(error instanceof EventRefused)) throw error;
        console.warn('Baton: an escalation event did not validate', error.reason.en);
      }
      current.set(alert.id, {
        ...(current.get(alert.id) ?? { id: alert.id, leadKey: alert.leadKey }),
        recordedAt: now,
      });
      recordedNow.push(alert.id);
    }
    await database.alerts.bulkPut([...current.values()]);
    return { told: new Set(told), recorded: recordedNow };
  });

  const lang = deps.lang();
  const notify = plan.notify.filter((a) => claimed.told.has(a.id));
  const summary = plan.summary.filter((a) => claimed.told.has(a.id));
  for (const alert of notify) {
    await browser.notifications.create(`${NOTIFICATION_PREFIX}${alert.id}`, {
      type: 'basic',
      iconUrl: ICON,
      title: alertTitle(alert, lang),
      message: alertMessage(alert, now, lang),
      priority: alert.kind === 'due_soon' ? 1 : 2,
      silent: !prefs.sound,
    });
  }
  if (summary.length > 0) {
    await browser.notifications.create(SUMMARY_NOTIFICATION, {
      type: 'basic',
      iconUrl: ICON,
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
      ? `マーケティングへ差し戻し確認: ${name}`
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
 * Registers the alarm and click listeners (synchronously, in the worker's first turn, as MV3 requires)
 * and checks once at start-up, after `startedUp`. `after` runs after every alarm check (the badge).
 */
export function startAlerts(
  deps: AlertDeps,
  startedUp: Promise<unknown> = Promise.resolve(),
  after: () => Promise<void> = async () => {},
): { onAlarm(alarm: { name: string }): Promise<void>; started: Promise<void> } {
  const check = async () => {
    await checkAlerts(deps).catch(report);
    await after().catch(report);
  };
  const onAlarm = async (alarm: { name: string }) => {
    if (alarm.name === ALERTS_ALARM) await check();
  };
  browser.alarms.onAlarm.addListener((alarm) => onAlarm(alarm));
  browser.notifications.onClicked.addListener((id) => onAlertClicked(deps.database, id).catch(report));
  const started = (async () => {
    await startedUp.catch(() => undefined);
    await check();
  })();
  return { onAlarm, started };
}

function report(error: unknown): void {
  console.warn('Baton: lead alerts failed', error);
}

/** The worker's real dependencies: the extension's database, clock, rules and the rep's name. */
export function alertDeps(): AlertDeps {
  return {
    database: db(),
    now,
    lang: () => langFromTag(browser.i18n.getUILanguage()),
    rules: rulesInForceWithSource,
    actorName: () => repNameSetting.getValue(),
    prefs: () => alertPrefsSetting.getValue(),
  };
}
