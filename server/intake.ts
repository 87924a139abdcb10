/**
 * Handoff intake: a notification from a marketing-automation tool or CRM automation becomes the same
 * `handoff_observed` event a browser records, scored by the same lib/ code with the active rules, and a
 * CRM status it carries becomes the same `stage_change` a page's status would. Keys are derived from the
 * source's own event id, so a redelivery is answered from the store with the original receipt.
 */

import { recordLink } from '../lib/crm/links';
import { evaluateLead, recordedHandoffReason } from '../lib/evaluate';
import type { BatonEvent, HandoffObservedEvent, StageChangeEvent } from '../lib/events';
import { handoffObservedEventSchema, recordedScore, stageChangeEventSchema } from '../lib/events';
import type { IntakeReceipt } from '../lib/intake/api';
import { extractIntake, type IntakeRecord, type IntakeSource } from '../lib/intake/mapping';
import { intakeMappingOf } from '../lib/intake/sources';
import { readCsv } from '../lib/kpi/csv';
import { leadKeyString } from '../lib/lead';
import { oneLine } from '../lib/plain-text';
import type { Problem } from '../lib/problems';
import { nameKey } from './event-key';
import type { KpiService } from './kpis';
import type { Metrics } from './metrics';
import type { Principal } from './principal';
import { IdempotencyConflictError, type PreparedEvent } from './storage/events';
import type { IntakeStore, StoredEvent } from './storage/intake';
import type { Store } from './storage/store';
import { slotEvent } from './team-state';

/** Rows one CSV upload may carry; a bigger history goes in several files. */
export const INTAKE_CSV_MAX_ROWS = 5000;

/** A payload (or CSV) with problems: nothing of it was stored. */
export class IntakeRefusedError extends Error {
  override name = 'IntakeRefusedError';
  constructor(
    readonly status: 400 | 422,
    readonly problems: Problem[],
  ) {
    super(`${problems.length} problem(s) in the intake payload`);
  }
}

type PrepareEvent = (event: BatonEvent) => PreparedEvent;

interface Planned {
  record: IntakeRecord;
  handoffKey: string;
  stageKey: string;
}

/** One request's payloads (one webhook, or every row of a CSV), settled together. */
interface Job {
  payloads: { payload: unknown; prefix: (string | number)[] }[];
  resolve(receipts: IntakeReceipt[]): void;
  reject(error: unknown): void;
}

type Outcome =
  | { receipts: IntakeReceipt[] }
  | { status: 400 | 422; problems: Problem[] }
  | { error: unknown };

export class IntakeService {
  constructor(
    private readonly store: Store,
    private readonly intakeStore: IntakeStore,
    private readonly kpis: KpiService,
    private readonly metrics: Metrics,
    private readonly prepare: PrepareEvent,
    private readonly clock: () => number,
  ) {}

  /** Webhooks waiting to be stored, per source and token; and which of those are being stored now. */
  private readonly waiting = new Map<string, { source: IntakeSource; by: Principal; jobs: Job[] }>();
  private readonly storing = new Set<string>();

  /**
   * A JSON notification (one handoff). Notifications of one source and token that arrive while an earlier
   * group is being stored are stored together, in one transaction: a burst of webhooks costs one commit,
   * not one each. Each still gets its own answer, and one bad payload refuses only itself.
   */
  receiveJson(source: IntakeSource, payload: unknown, by: Principal): Promise<IntakeReceipt[]> {
    const key = `${source}\u0000${by.tokenId}`;
    let group = this.waiting.get(key);
    if (!group) {
      group = { source, by, jobs: [] };
      this.waiting.set(key, group);
      this.schedule(key);
    }
    return new Promise((resolve, reject) => {
      group.jobs.push({ payloads: [{ payload, prefix: [] }], resolve, reject });
    });
  }

  /** A CSV upload: one handoff per row, all or nothing. */
  async receiveCsv(text: string, by: Principal): Promise<IntakeReceipt[]> {
    const rows = readCsv(text).filter((row) => row.some((cell) => cell.trim() !== ''));
    const header = rows.shift()?.map((h) => h.trim());
    const refuse = (problem: Problem) => this.refuse('csv', 400, [problem]);
    if (!header || rows.length === 0) {
      return refuse({
        path: [],
        message: {
          ja: '見出し行と1行以上のデータが必要です',
          en: 'The CSV needs a header line and at least one row',
        },
      });
    }
    if (rows.length > INTAKE_CSV_MAX_ROWS) {
      return refuse({
        path: [],
        message: {
          ja: `1回に取り込めるのは${INTAKE_CSV_MAX_ROWS}行までです。分割してください`,
          en: `At most ${INTAKE_CSV_MAX_ROWS} rows per upload; split the file`,
        },
      });
    }
    // Path [line, column]: line 1 is the header, as a spreadsheet numbers rows.
    const payloads = rows.map((cells, i) => ({
      payload: Object.fromEntries(header.map((name, c) => [name, cells[c] ?? ''])),
      prefix: [i + 2],
    }));
    return new Promise((resolve, reject) => {
      void this.receive('csv', by, [{ payloads, resolve, reject }]);
    });
  }

  /** Counts and keeps a refusal (also of a body that was not JSON or CSV at all), for the admin's view. */
  async countRefusal(source: IntakeSource, problems: Problem[]): Promise<void> {
    this.metrics.intakeRefused.inc({ source });
    await this.intakeStore.recordRefusal(source, this.clock(), problems);
  }

  /** Keys of the open handoffs of these owners, soonest due first. */
  openHandoffs(owners: readonly string[], limit: number) {
    return this.intakeStore.openHandoffs(owners, limit);
  }

  /** Refusals per source since `since`. */
  refusalsSince(since: number) {
    return this.intakeStore.refusalsSince(since);
  }

  private async refuse(source: IntakeSource, status: 400 | 422, problems: Problem[]): Promise<never> {
    await this.countRefusal(source, problems);
    throw new IntakeRefusedError(status, problems);
  }

  /** Stores a waiting group once no group of the same source and token is being stored. */
  private schedule(key: string): void {
    const run = async () => {
      const group = this.waiting.get(key);
      if (!group) return;
      this.waiting.delete(key);
      this.storing.add(key);
      try {
        await this.receive(group.source, group.by, group.jobs);
      } finally {
        this.storing.delete(key);
        if (this.waiting.has(key)) this.schedule(key);
      }
    };
    // The first notification of a quiet moment waits one turn of the event loop, no longer; later ones
    // wait for the group being stored, which is when a group commit pays.
    if (this.storing.has(key)) return;
    setImmediate(run);
  }

  /**
   * Extracts, scores and stores the jobs' handoffs together; settles each job on its own. A job is all
   * or nothing: any problem in it refuses the whole job (a CSV upload) and nothing of it is stored.
   */
  private async receive(source: IntakeSource, by: Principal, jobs: Job[]): Promise<void> {
    try {
      const settled = await this.plan(source, by, jobs);
      for (const { job, outcome } of settled) {
        if ('receipts' in outcome) job.resolve(outcome.receipts);
        else if ('error' in outcome) job.reject(outcome.error);
        else {
          await this.countRefusal(source, outcome.problems);
          job.reject(new IntakeRefusedError(outcome.status, outcome.problems));
        }
      }
    } catch (error) {
      for (const job of jobs) job.reject(error);
    }
  }

  private async plan(
    source: IntakeSource,
    by: Principal,
    jobs: Job[],
  ): Promise<{ job: Job; outcome: Outcome }[]> {
    const { version, rules } = await this.kpis.active();
    const mapping = intakeMappingOf(rules, source);
    const outcomes = new Map<Job, Outcome>();
    const plannedOf = new Map<Job, Planned[]>();
    const byId = new Map<string, Planned>();
    for (const job of jobs) {
      const problems: Problem[] = [];
      const planned: Planned[] = [];
      for (const { payload, prefix } of job.payloads) {
        const result = extractIntake(mapping, payload, prefix);
        if (!result.ok) {
          problems.push(...result.problems);
          continue;
        }
        const id = `baton:intake:${source}:${result.value.eventId}`;
        // The same notification twice (in one upload, or delivered twice at once) is one handoff.
        const held = byId.get(id);
        if (held) {
          if (!planned.includes(held)) planned.push(held);
          continue;
        }
        const entry = {
          record: result.value,
          handoffKey: nameKey(`${id}:handoff`),
          stageKey: nameKey(`${id}:stage`),
        };
        byId.set(id, entry);
        planned.push(entry);
      }
      if (problems.length > 0) outcomes.set(job, { status: 400, problems });
      else plannedOf.set(job, planned);
    }

    // A redelivery: answered from what was stored the first time, never evaluated again.
    const allPlanned = [...new Set([...plannedOf.values()].flat())];
    const stored = await this.intakeStore.eventsByKey(allPlanned.flatMap((p) => [p.handoffKey, p.stageKey]));
    const fresh = allPlanned.filter((p) => !stored.has(p.handoffKey));
    const now = this.clock();
    const eventsOf = new Map<Planned, BatonEvent[]>();
    const notHandoff = new Map<Planned, Problem>();
    if (fresh.length > 0) {
      const state = await this.store.events.leadState(fresh.map((p) => leadKeyString(p.record.snapshot)));
      // What this group itself hands over or moves, for a later notification of the same lead in it.
      const handoffs = new Map<string, HandoffObservedEvent>();
      const stages = new Map<string, StageChangeEvent>();
      for (const p of fresh) {
        const { snapshot } = p.record;
        const leadKey = leadKeyString(snapshot);
        const slots = state.get(leadKey);
        const earlier = handoffs.get(leadKey) ?? slotEvent(slots, 'handoff', handoffObservedEventSchema);
        // A status or owner update without an MQL date belongs to the handoff already on record: it
        // must not restart the SLA clock.
        if (!snapshot.fields.mqlAt && earlier) snapshot.fields.mqlAt = earlier.handoffAt;
        if (!snapshot.fields.mqlAt) snapshot.fields.mqlAt = new Date(now).toISOString();
        const evaluation = evaluateLead(rules, snapshot, { now });
        const { handoff, sla } = evaluation;
        if (!handoff || sla.dueAt === undefined) {
          notHandoff.set(p, {
            path: [],
            message: {
              ja: `${leadKey} は引き渡しになりません（MQL 日時が未来か読めず、スコアも閾値未満です）`,
              en: `${leadKey} is not a handoff (the MQL time is in the future or unreadable, and the score is below the threshold)`,
            },
          });
          continue;
        }
        const lead = { crm: snapshot.crm, object: snapshot.object, recordId: snapshot.recordId };
        const actor = { name: by.name.slice(0, 200) };
        const rulesVersion = version ?? 0;
        const owner = oneLine(snapshot.fields.owner, 200);
        const company = oneLine(snapshot.fields.company, 200);
        const url = recordLink(lead, p.record.site);
        const handoffEvent: HandoffObservedEvent = {
          type: 'handoff_observed',
          idempotencyKey: p.handoffKey,
          occurredAt: new Date(handoff.at).toISOString(),
          lead,
          rulesVersion,
          actor,
          handoffAt: new Date(handoff.at).toISOString(),
          dueAt: new Date(sla.dueAt).toISOString(),
          reason: recordedHandoffReason(handoff.reason),
          ...(handoff.triggerId ? { triggerId: handoff.triggerId } : {}),
          ...recordedScore(evaluation),
          ...(owner ? { owner } : {}),
          ...(company ? { company } : {}),
          ...(url ? { url } : {}),
        };
        const events: BatonEvent[] = [handoffEvent];
        // The CRM's status, as the extension records a status seen on a page: a stage_change from the
        // stage on record (an MQL, if nothing else is known) to the one the rules map the status to.
        if (evaluation.stageSource === 'crm_status') {
          const from =
            (stages.get(leadKey) ?? slotEvent(slots, 'stage', stageChangeEventSchema))?.to ?? 'mql';
          if (from !== evaluation.stage) {
            const stageEvent: StageChangeEvent = {
              type: 'stage_change',
              idempotencyKey: p.stageKey,
              occurredAt: new Date(Math.max(now, handoff.at)).toISOString(),
              lead,
              rulesVersion,
              actor,
              from,
              to: evaluation.stage,
            };
            events.push(stageEvent);
            stages.set(leadKey, stageEvent);
          }
        }
        handoffs.set(leadKey, handoffEvent);
        eventsOf.set(p, events);
      }
    }

    // Jobs with a lead that is not a handoff are refused whole; the others are stored together.
    const accepted: Job[] = [];
    for (const [job, planned] of plannedOf) {
      const problems = planned.flatMap((p) => {
        const problem = notHandoff.get(p);
        return problem ? [problem] : [];
      });
      if (problems.length > 0) outcomes.set(job, { status: 422, problems });
      else accepted.push(job);
    }
    const toStore = [
      ...new Set(accepted.flatMap((job) => plannedOf.get(job)!.filter((p) => eventsOf.has(p)))),
    ];
    if (toStore.length > 0) {
      // The same notification delivered at once to another instance (or by another token) may be stored
      // first, with its own times: then those notifications are answered from what it stored, and the
      // rest of the group is stored without them, so one clash fails nobody else.
      let pending = toStore;
      for (let attempt = 0; pending.length > 0 && attempt < 3; attempt++) {
        try {
          const result = await this.store.events.record(
            pending.flatMap((p) => eventsOf.get(p)!).map(this.prepare),
            by.tokenId,
            now,
            rules.calendar,
          );
          for (const e of result.recorded) this.metrics.eventsRecorded.inc({ type: e.type });
          break;
        } catch (error) {
          if (!(error instanceof IdempotencyConflictError)) throw error;
          const clashed = new Set(error.keys);
          pending = pending.filter((p) => !clashed.has(p.handoffKey) && !clashed.has(p.stageKey));
        }
      }
      this.metrics.intakeHandoffs.inc({ source }, pending.length);
      // Every receipt is built from the stored events, so a first answer and a replay are the same.
      const written = await this.intakeStore.eventsByKey(toStore.flatMap((p) => [p.handoffKey, p.stageKey]));
      for (const [key, event] of written) stored.set(key, event);
    }
    return jobs.map((job) => {
      const refused = outcomes.get(job);
      if (refused) return { job, outcome: refused };
      // A receipt that cannot be built fails its own request only.
      try {
        return { job, outcome: { receipts: plannedOf.get(job)!.map((p) => receiptOf(p, stored)) } };
      } catch (error) {
        return { job, outcome: { error } };
      }
    });
  }
}

function receiptOf(p: Planned, stored: Map<string, StoredEvent>): IntakeReceipt {
  const handoff = stored.get(p.handoffKey);
  if (!handoff) throw new Error(`intake: the handoff ${p.handoffKey} was not stored`);
  const event = JSON.parse(handoff.body) as HandoffObservedEvent;
  const stage = stored.get(p.stageKey);
  const stageEvent = stage ? (JSON.parse(stage.body) as StageChangeEvent) : undefined;
  const entry = (type: 'handoff_observed' | 'stage_change', e: StoredEvent) => ({
    type,
    idempotencyKey: e.key,
    seq: e.seq,
    recordedAt: new Date(e.recordedAt).toISOString(),
  });
  return {
    eventId: p.record.eventId,
    lead: event.lead,
    handoffAt: event.handoffAt,
    dueAt: event.dueAt,
    score: event.score ?? null,
    rulesVersion: event.rulesVersion,
    owner: event.owner ?? null,
    stage: stageEvent?.to ?? null,
    events: [entry('handoff_observed', handoff), ...(stage ? [entry('stage_change', stage)] : [])],
  };
}
