import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { langFromTag } from '../../lib/i18n';
import type { LeadKey } from '../../lib/lead';
import type { SyncState } from '../../lib/messaging';
import { now } from '../clock';
import { PAGES_STALE_KEY } from '../content/refresh';
import { db } from '../db';
import { endpointConfig, hasHostPermission, repNameSetting } from '../endpoint';
import { alertDeps, checkAlerts } from './alerts';
import { outboxCounts } from './outbox';
import { pullPageMap } from './page-map-sync';
import { alertableQueue, overdueCount } from './queue';
import { sendReadHealth } from './read-health';
import { type ReminderDeps, remindReview } from './review-reminder';
import { rulesInForceWithSource } from './rules-store';
import {
  pullMe,
  pullOwnQueue,
  pullRules,
  readChannel,
  refreshTeamState,
  type SyncDeps,
  sendEvents,
} from './sync';

/**
 * The worker's side of syncing, wired to the browser: when to send and pull (an alarm every minute,
 * coming back online, start-up, "sync now"), the toolbar badge, and telling open CRM tabs to re-render
 * after the rules changed. What one send or pull does is sync.ts, which knows no browser API. Every trigger is a listener registered in the worker's first turn; nothing is kept in
 * module state that a stopped worker would lose.
 */
export const SYNC_ALARM = 'baton-sync';
/** The rules reach every open browser within about a minute of publication. */
export const SYNC_PERIOD_MINUTES = 1;

/** A random id of this browser install, so the endpoint keeps each browser's read health totals apart. */
const readHealthReporter = storage.defineItem<string>('local:readHealthReporter', {
  init: () => crypto.randomUUID(),
});

export function syncDeps(): SyncDeps {
  return { database: db(), config: endpointConfig, canReach: hasHostPermission, now };
}

export function reminderDeps(): ReminderDeps {
  return {
    database: db(),
    now,
    lang: () => langFromTag(browser.i18n.getUILanguage()),
  };
}

/**
 * Sends what waits, pulls the rules and who the token is; `force` (the rep asked) ignores the backoff.
 * A newly learnt role is checked for a due review at once rather than at the next daily alarm.
 */
export async function runSync(options: { force?: boolean } = {}): Promise<void> {
  const deps = syncDeps();
  const [, rules, me, queued, pageMap] = await Promise.all([
    sendEvents(deps, options),
    pullRules(deps, options),
    pullMe(deps, options),
    // Leads handed to this rep that no page showed yet (intake): the queue and the alerts include them.
    repNameSetting.getValue().then((owner) => pullOwnQueue(deps, owner)),
    pullPageMap(deps).catch((error: unknown) => {
      report(error);
      return 'skipped' as const;
    }),
  ]);
  // CRM read health goes with the events (counts only); a failure waits for the next run.
  await sendReadHealth(deps, () => readHealthReporter.getValue()).catch(report);
  // New rules, a new page map or leads new to the queue: open CRM tabs ask again and re-read the page.
  if (rules === 'updated' || pageMap === 'updated' || queued) await markPagesStale();
  if (me === 'updated') await remindReview(reminderDeps());
  if (rules === 'updated' || queued) await checkAlerts(alertDeps()).catch(report);
  await refreshBadge();
}

/** Team state for the leads a page shows; re-renders the pages when something new came back. */
export async function refreshTeam(leads: LeadKey[]): Promise<void> {
  if (leads.length === 0) return;
  if (await refreshTeamState(syncDeps(), leads)) {
    await markPagesStale();
    await refreshBadge();
  }
}

/** Tells every open CRM tab to ask again for what it shows (see extension/content/refresh.ts). */
export async function markPagesStale(): Promise<void> {
  await browser.storage.local.set({ [PAGES_STALE_KEY]: await now() });
}

export async function refreshBadge(): Promise<void> {
  const t = await now();
  const overdue = overdueCount(await alertableQueue(db(), t), t);
  await browser.action.setBadgeText({ text: overdue > 0 ? String(overdue) : '' });
  await browser.action.setBadgeBackgroundColor({ color: '#b3261e' });
  // The count in words too: the badge is colour and a number, the title is read by screen readers.
  const lang = langFromTag(browser.i18n.getUILanguage());
  await browser.action.setTitle({
    title:
      overdue === 0
        ? 'Baton'
        : lang === 'ja'
          ? `Baton: 期限超過のリード ${overdue} 件`
          : `Baton: ${overdue} overdue lead${overdue === 1 ? '' : 's'}`,
  });
}

export async function syncState(): Promise<SyncState> {
  const [config, rules, counts, events, rulesChannel] = await Promise.all([
    endpointConfig(),
    rulesInForceWithSource(),
    outboxCounts(db()),
    readChannel(db(), 'events'),
    readChannel(db(), 'rules'),
  ]);
  const errors = [events.lastError, rulesChannel.lastError].filter((e) => e !== null);
  const lastError = errors.sort((a, b) => b.at - a.at)[0] ?? null;
  const successes = [events.lastSuccessAt, rulesChannel.lastSuccessAt].filter((t) => t !== null);
  return {
    configured: config !== null,
    managed: config?.source === 'managed',
    rules: {
      id: rules.rules.version.id,
      number: rules.eventVersion,
      source: rules.source,
      receivedAt: rules.receivedAt,
    },
    rulesRefused: rulesChannel.refused ?? null,
    waiting: counts.waiting,
    refused: counts.refused.map((e) => ({
      idempotencyKey: e.idempotencyKey,
      type: e.type,
      leadKey: e.leadKey,
      at: e.refusal?.at ?? e.createdAt,
      reason: e.refusal?.reason ?? { ja: '拒否されました', en: 'Refused' },
    })),
    lastSuccessAt: successes.length > 0 ? Math.max(...successes) : null,
    lastError,
    nextAttemptAt: events.nextAttemptAt > 0 && counts.waiting > 0 ? events.nextAttemptAt : null,
  };
}

/**
 * Registers every sync trigger. Called synchronously in the worker's first turn: MV3 dispatches an
 * alarm or `online` that woke the worker only to listeners added then.
 */
export function startSync(): {
  onAlarm(alarm: { name: string }): Promise<void>;
  /** The start-up sync, done (or failed). */
  started: Promise<void>;
} {
  const onAlarm = async (alarm: { name: string }) => {
    if (alarm.name === SYNC_ALARM) await runSync().catch(report);
  };
  browser.alarms.onAlarm.addListener((alarm) => void onAlarm(alarm));
  addEventListener('online', () => void runSync({ force: true }).catch(report));
  const started = (async () => {
    const existing = await browser.alarms.get(SYNC_ALARM);
    if (!existing) {
      await browser.alarms.create(SYNC_ALARM, {
        periodInMinutes: SYNC_PERIOD_MINUTES,
        delayInMinutes: SYNC_PERIOD_MINUTES,
      });
    }
    await runSync();
  })().catch(report);
  return { onAlarm, started };
}

function report(error: unknown): void {
  console.warn('Baton: sync failed', error);
}
