/**
 * The SLA watch: the endpoint itself acts on every open handoff at its business time, whether or not any
 * browser is open. Every moment of a handoff (due soon, overdue, each ladder step) is planned once by
 * lib/alerts and lib/sla (the clock the browsers run, not a copy) into `sla_watch`, keyed by the alert id
 * the browsers use; a tick leases what fell due (as the webhook outbox does, so instances never act on
 * one row at once and a crashed instance's lease runs out) and records each step beyond the rep as the
 * same escalation_step event a browser would send. The store keeps a step once under what it is
 * (escalation-steps.ts) and the outbox sends it once, so a step is one step whoever noticed it first and
 * however often a tick runs.
 */

import { type AlertLead, defaultAlertSettings, isBeyondRep, leadAlerts } from '../lib/alerts';
import { CONTACTED_OR_BEYOND } from '../lib/evaluate';
import {
  type BatonEvent,
  type EscalationStepEvent,
  type HandoffObservedEvent,
  handoffObservedEventSchema,
} from '../lib/events';
import { type LeadKey, leadKeyString } from '../lib/lead';
import { escalationPlan } from '../lib/sla/escalation';
import { chooseTier, dueSoonAt } from '../lib/sla/status';
import { escalationKey } from './event-key';
import type { KpiService } from './kpis';
import type { Logger } from './log';
import type { Metrics } from './metrics';
import { type Database, forUpdate, type Sql, valueRows } from './storage/db';
import { IdempotencyConflictError, type PreparedEvent } from './storage/events';
import type { Store } from './storage/store';
import { type LeadSlots, slotFields } from './team-state';

export interface WatchSettings {
  pollMs: number;
  /** How long a claimed moment is this instance's before another may take it over. */
  leaseMs: number;
  /** Moments claimed per round. */
  batch: number;
}

/** What the watch keeps of one moment (sla_watch.body). */
interface Moment {
  lead: LeadKey;
  kind: 'due_soon' | 'overdue' | 'step';
  stepId?: string;
  stepKind?: EscalationStepEvent['kind'];
  dueAt: number;
  owner?: string;
  rulesVersion: number;
}

interface Claimed {
  alertId: string;
  leadKey: string;
  handoffAt: number;
  at: number;
  moment: Moment;
}

const CURSOR = 'watch_cursor';
/**
 * Events are numbered when inserted but become visible when committed, which on PostgreSQL need not be
 * in number order: each scan looks again at the last RESCAN numbers recorded within RESCAN_MS (planning
 * is idempotent), so a handoff committed late behind a higher number is never skipped, and a quiet tick
 * reads nothing.
 */
const RESCAN = 1000;
const RESCAN_MS = 60_000;
const SCAN_PAGE = 2000;

export class SlaWatch {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly kpis: KpiService,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly prepare: (event: BatonEvent) => PreparedEvent,
    private readonly clock: () => number,
    private readonly settings: WatchSettings,
    /** Called after escalations were stored, so the webhook sends them now rather than at its next poll. */
    private readonly onRecorded: () => void = () => {},
  ) {}

  private get db(): Database {
    return this.store.db;
  }

  start(): void {
    if (this.settings.pollMs <= 0) return;
    this.timer = setInterval(() => this.kick(), this.settings.pollMs);
    this.timer.unref();
    this.kick();
  }

  private kick(): void {
    if (this.stopped || this.running) return;
    this.running = this.tick()
      .catch((error) => this.log.error('sla watch tick failed', { error: String(error) }))
      .finally(() => {
        this.running = undefined;
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Plans the moments of new handoffs, then acts on what fell due. */
  async tick(): Promise<{ planned: number; fired: number }> {
    const planned = await this.plan();
    let fired = 0;
    for (;;) {
      const round = await this.fireDue();
      fired += round;
      if (round < this.settings.batch || this.stopped) break;
    }
    return { planned, fired };
  }

  /**
   * Plans the moments of handoffs recorded since the last scan. The scan and the planning read outside
   * any transaction (on SQLite a query outside the open transaction would wait for it); the rows go in
   * with the cursor in one short transaction, and planning twice is harmless (ON CONFLICT DO NOTHING).
   */
  async plan(): Promise<number> {
    const now = this.clock();
    const cursor = await this.cursor(this.db);
    let after = Math.max(0, cursor - RESCAN);
    let last = cursor;
    const rows: (string | number)[][] = [];
    for (;;) {
      // Every event moves the cursor (so a quiet tick reads nothing), only handoffs' bodies are read.
      const page = await this.db.all<{ seq: number; body: string | null }>(
        `SELECT seq, CASE WHEN type = 'handoff_observed' THEN body END AS body FROM events
         WHERE seq > ? AND (seq > ? OR recorded_at >= ?)
         ORDER BY seq LIMIT ?`,
        [after, cursor, now - RESCAN_MS, SCAN_PAGE],
      );
      if (page.length === 0) break;
      after = Number(page.at(-1)!.seq);
      last = Math.max(last, after);
      for (const { body } of page) {
        if (body === null) continue;
        const parsed = handoffObservedEventSchema.safeParse(JSON.parse(body));
        if (parsed.success) rows.push(...(await this.momentsOf(parsed.data, now)));
      }
      if (page.length < SCAN_PAGE) break;
    }
    if (rows.length === 0 && last === cursor) return 0;
    return this.db.transaction(async (tx) => {
      let planned = 0;
      for (let i = 0; i < rows.length; i += 200) {
        const chunk = rows.slice(i, i + 200);
        planned += await tx.run(
          `INSERT INTO sla_watch (alert_id, lead_key, handoff_at, at, moment, body)
           VALUES ${valueRows(chunk.length, 6)}
           ON CONFLICT (alert_id) DO NOTHING`,
          chunk.flat(),
        );
      }
      // Another instance may have moved the cursor on meanwhile: it only ever moves forward.
      if (last > (await this.cursor(tx))) {
        await tx.run(
          'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
          [CURSOR, String(last)],
        );
      }
      return planned;
    });
  }

  private async cursor(sql: Sql): Promise<number> {
    return Number(
      (await sql.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [CURSOR]))?.value ?? 0,
    );
  }

  /** sla_watch rows of one handoff: every moment lib/alerts names, under the browsers' alert ids. */
  private async momentsOf(event: HandoffObservedEvent, now: number): Promise<(string | number)[][]> {
    const rules = (await this.kpis.version(event.rulesVersion)) ?? (await this.kpis.active()).rules;
    const handoffAt = Date.parse(event.handoffAt);
    const due = Date.parse(event.dueAt);
    const tier = chooseTier(rules.sla, {
      triggerId: event.triggerId ?? null,
      fitGrade: event.fitGrade ?? null,
    });
    const plan = escalationPlan({
      calendar: rules.calendar,
      ladder: rules.escalation,
      tier,
      handoffAt,
      dueAt: due,
      firstContactAt: null,
      now: handoffAt,
    });
    const key = leadKeyString(event.lead);
    const lead: AlertLead = {
      key,
      handoffAt,
      dueAt: due,
      dueSoonAt: dueSoonAt(rules.calendar, rules.sla, tier, handoffAt, due),
      contactedAt: null,
      steps: plan.steps.map(({ stepId, kind, at }) => ({ stepId, kind, at })),
    };
    // As the browsers do (lib/alerts maxAgeMs): moments long past are history, not news; a database
    // with months of handoffs must not page every manager on the watch's first start.
    const horizon = now - defaultAlertSettings.maxAgeMs;
    return leadAlerts(lead)
      .filter((alert) => alert.at >= horizon)
      .map((alert) => {
        const moment: Moment = {
          lead: event.lead,
          kind: alert.kind,
          ...(alert.stepId ? { stepId: alert.stepId } : {}),
          ...(alert.stepKind ? { stepKind: alert.stepKind } : {}),
          dueAt: due,
          ...(event.owner ? { owner: event.owner } : {}),
          rulesVersion: event.rulesVersion,
        };
        return [alert.id, key, handoffAt, alert.at, alert.kind, JSON.stringify(moment)];
      });
  }

  /** Leases due moments, settles each, and marks them done; returns how many were claimed. */
  async fireDue(): Promise<number> {
    const now = this.clock();
    const claimed = await this.claim(now);
    if (claimed.length === 0) return 0;
    const state = await this.store.events.leadState([...new Set(claimed.map((c) => c.leadKey))]);
    const events: BatonEvent[] = [];
    const outcomes = new Map<string, string>();
    for (const c of claimed) {
      const outcome = c.at < now - defaultAlertSettings.maxAgeMs ? 'stale' : settle(c, state.get(c.leadKey));
      outcomes.set(c.alertId, outcome);
      if (outcome !== 'recorded') continue;
      const m = c.moment;
      events.push({
        type: 'escalation_step',
        idempotencyKey: escalationKey(c.leadKey, c.handoffAt, m.stepId!),
        occurredAt: new Date(c.at).toISOString(),
        lead: m.lead,
        rulesVersion: m.rulesVersion,
        // As the browsers name it: the lead's owner, never whoever noticed (extension/background/alerts.ts).
        actor: { name: (m.owner?.trim() || 'Baton').slice(0, 200) },
        stepId: m.stepId!,
        kind: m.stepKind!,
        // The cycle by its handoff, as the browsers name it: the endpoint keys a step by lead, handoff, step
        // and kind (server/escalation-steps.ts), so a browser's report and this one are one step.
        handoffAt: new Date(c.handoffAt).toISOString(),
        dueAt: new Date(m.dueAt).toISOString(),
      });
    }
    if (events.length > 0) {
      const calendar = await this.kpis.calendar();
      // One at a time: a browser may have stored the same key first with its own body (its label and
      // link); that step is already the one that counts, and the others of the batch must still go in.
      for (const event of events) {
        try {
          await this.store.events.record([this.prepare(event)], 'watch', now, calendar);
        } catch (error) {
          if (!(error instanceof IdempotencyConflictError)) throw error;
        }
      }
      this.onRecorded();
    }
    await this.db.transaction(async (tx) => {
      for (const [alertId, outcome] of outcomes) {
        await tx.run(
          'UPDATE sla_watch SET fired_at = ?, outcome = ?, locked_until = NULL WHERE alert_id = ?',
          [now, outcome, alertId],
        );
        this.metrics.watchFired.inc({ outcome });
      }
    });
    return claimed.length;
  }

  private async claim(now: number): Promise<Claimed[]> {
    const rows = await this.db.all<{
      alert_id: string;
      lead_key: string;
      handoff_at: number;
      at: number;
      body: string;
    }>(
      `UPDATE sla_watch SET locked_until = ?
       WHERE alert_id IN (
         SELECT alert_id FROM sla_watch
         WHERE fired_at IS NULL AND at <= ? AND (locked_until IS NULL OR locked_until <= ?)
         ORDER BY at LIMIT ?${forUpdate(this.db.dialect, true)}
       )
       RETURNING alert_id, lead_key, handoff_at, at, body`,
      [now + this.settings.leaseMs, now, now, this.settings.batch],
    );
    return rows.map((r) => ({
      alertId: r.alert_id,
      leadKey: r.lead_key,
      handoffAt: Number(r.handoff_at),
      at: Number(r.at),
      moment: JSON.parse(r.body) as Moment,
    }));
  }

  /** Open moments, for /metrics and the benchmark. */
  async openCount(): Promise<number> {
    const row = await this.db.get<{ n: number }>(
      'SELECT COUNT(*) AS n FROM sla_watch WHERE fired_at IS NULL',
    );
    return Number(row?.n ?? 0);
  }
}

/**
 * What became of a due moment: the lead was contacted (or its CRM status says so) after this handoff;
 * a newer handoff replaced it; a rep's own moment (due soon, overdue) their browser tells them; or a
 * step beyond the rep, recorded as an escalation.
 */
function settle(c: Claimed, slots: LeadSlots | undefined): string {
  const slot = (name: string) => slotFields(slots, name);
  const handoff = slot('handoff');
  if (handoff && Date.parse(String(handoff.handoffAt)) > c.handoffAt) return 'superseded';
  const contact = slot('firstContact');
  if (contact && Date.parse(String(contact.occurredAt)) >= c.handoffAt) return 'contacted';
  const stage = slot('stage');
  if (
    stage &&
    CONTACTED_OR_BEYOND.has(String(stage.to)) &&
    Date.parse(String(stage.occurredAt)) >= c.handoffAt
  ) {
    return 'contacted';
  }
  if (c.moment.kind !== 'step' || !c.moment.stepKind || !isBeyondRep(c.moment.stepKind)) return 'owner';
  return 'recorded';
}
