import Dexie from 'dexie';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { type LeadSnapshot, leadKeyString } from '../../lib/lead';
import { defaultRuleSet } from '../../lib/rules/defaults';
import { db } from '../db';
import { HOLD_MS } from '../held-write';
import { answer } from './answer';
import { rulesInForce } from './rules-store';

// The alert plan a sighting schedules would run a second later, inside whichever test runs then:
// answer-alerts.test.ts tests when it runs, alerts.test.ts what it plans.
vi.mock('./alerts', async (original) => ({
  ...(await original<typeof import('./alerts')>()),
  checkAlerts: vi.fn(async () => ({ notified: [], summarised: [], recorded: [], wakeAt: null })),
}));

const OWN_ID = 'baton-test-id';
const tabSender = {
  id: OWN_ID,
  tab: { id: 7 } as never,
  url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEFGH/view',
};
const snapshot: LeadSnapshot = {
  crm: 'salesforce',
  object: 'Lead',
  recordId: '00Q5g00000AbCdEFGH',
  fields: { company: 'Acme' },
  activities: [],
};

/** Two leads read on their record pages: ...AbCdEFGH at 1000, then ...ZzYyXxWW at 2000. */
async function seeTwoLeads() {
  await answer({ type: 'lead.seen', snapshot }, tabSender, OWN_ID, 1000);
  await answer(
    { type: 'lead.seen', snapshot: { ...snapshot, recordId: '00Q5g00000ZzYyXxWW' } },
    tabSender,
    OWN_ID,
    2000,
  );
}

/** One page's reading counts for the health report, as a content script sends them with its lead(s). */
function pageRead(pageKind: 'record' | 'list', counts: { selector?: number; hook?: number; label?: number }) {
  return { crm: 'salesforce', pageKind, selector: 0, hook: 0, label: 0, nothingRead: false, ...counts };
}

/** The lead read on its record page, with a demo request that hands it over: the panel's answer. */
async function readOnRecordPage() {
  const withHistory: LeadSnapshot = {
    ...snapshot,
    activities: [{ type: 'demo_request', title: 'Demo request', at: '2026-11-24T10:00:00+09:00' }],
  };
  const now = Date.parse('2026-11-24T10:30:00+09:00');
  return { panel: await answer({ type: 'lead.seen', snapshot: withHistory }, tabSender, OWN_ID, now), now };
}

describe('the worker answering messages', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await Promise.all([
      db().leads.clear(),
      db().outbox.clear(),
      db().teamState.clear(),
      db().rules.clear(),
      db().readHealth.clear(),
    ]);
  });

  it('refuses a message from another extension', async () => {
    const reply = await answer(
      { type: 'lead.seen', snapshot },
      { ...tabSender, id: 'someone-else' },
      OWN_ID,
      1,
    );
    expect(reply).toMatchObject({ ok: false, error: { en: 'Unknown sender' } });
    expect(await db().leads.count()).toBe(0);
  });

  it('refuses a malformed message in both languages and stores nothing', async () => {
    const reply = await answer(
      { type: 'lead.seen', snapshot: { ...snapshot, crm: 'myspace' } },
      tabSender,
      OWN_ID,
      1,
    );
    expect(reply).toEqual({
      ok: false,
      error: { ja: 'メッセージの形式が正しくありません', en: 'Malformed message' },
    });
    expect(await db().leads.count()).toBe(0);
  });

  it('refuses a lead report that does not come from a tab', async () => {
    const reply = await answer({ type: 'lead.seen', snapshot }, { id: OWN_ID }, OWN_ID, 1);
    expect(reply.ok).toBe(false);
  });

  it('answers with the lead scored by the rules in force, and remembers each visit', async () => {
    const first = await answer({ type: 'lead.seen', snapshot }, tabSender, OWN_ID, 1000);
    expect(first).toMatchObject({
      ok: true,
      value: { recordId: snapshot.recordId, company: 'Acme', grade: expect.stringMatching(/^[ABCD]$/) },
    });
    await answer({ type: 'lead.seen', snapshot }, tabSender, OWN_ID, 2000);
    const recent = await answer({ type: 'leads.recent', limit: 10 }, { id: OWN_ID }, OWN_ID, 3000);
    expect(recent).toEqual({
      ok: true,
      value: [
        expect.objectContaining({
          recordId: snapshot.recordId,
          firstSeenAt: 1000,
          lastSeenAt: 2000,
          timesSeen: 2,
        }),
      ],
    });
  });

  it('keeps the activity history read on the record page when a list row reports the same lead', async () => {
    const { panel, now } = await readOnRecordPage();
    const chips = await answer(
      { type: 'leads.listed', snapshots: [{ ...snapshot, activities: [] }] },
      tabSender,
      OWN_ID,
      now,
    );
    expect(panel.ok && chips.ok).toBe(true);
    const fromPanel = (panel as { value: { score: number; handoff: unknown } }).value;
    const [fromList] = (chips as { value: { score: number; handoff: unknown }[] }).value;
    expect(fromPanel.handoff).not.toBeNull();
    expect(fromList).toMatchObject({ score: fromPanel.score, handoff: fromPanel.handoff });
  });

  it('finds the one lead of a long list this browser read before among rows it never saw', async () => {
    const { panel, now } = await readOnRecordPage();
    // Rows on both sides of the known one, so it lies inside the list's key range.
    const rows = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => ({
      ...snapshot,
      // ...AaRow00X to ...AaRow05X sort before ...AbCdEFGH, ...AcRow07X on after it.
      recordId:
        i === 6 ? snapshot.recordId : `00Q5g00000A${i < 6 ? 'a' : 'c'}Row${String(i).padStart(2, '0')}X`,
      activities: [],
    }));
    const chips = await answer({ type: 'leads.listed', snapshots: rows }, tabSender, OWN_ID, now);
    const views = (chips as { value: { recordId: string; score: number; partial?: true }[] }).value;
    const fromPanel = (panel as { value: { score: number } }).value;
    expect(views[6]).toMatchObject({ recordId: snapshot.recordId, score: fromPanel.score });
    expect(views[6]!.partial).toBeUndefined();
    expect(views.filter((v) => v.partial === true)).toHaveLength(11);
  });

  it('answers a sighting whose write fails, says why in the log, and stores the lead at the next sighting', async () => {
    const full = new DOMException('The disk is full', 'QuotaExceededError');
    // Only the sighting's write of the lead cache fails (with its events, if any, in one transaction):
    // a new lead's row is added, a known one's put.
    const add = vi.spyOn(db().leads, 'bulkAdd').mockRejectedValue(full);
    const put = vi.spyOn(db().leads, 'bulkPut').mockRejectedValue(full);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const reply = await answer({ type: 'leads.listed', snapshots: [snapshot] }, tabSender, OWN_ID, 1000);
      expect(reply).toMatchObject({ ok: true, value: [{ recordId: snapshot.recordId, company: 'Acme' }] });
      // Reading the leads releases the held write first (extension/held-write.ts): it fails before the count.
      expect(await db().leads.count()).toBe(0);
      await vi.waitFor(() => expect(warn).toHaveBeenCalledWith('Baton: storing a sighting failed', full));
    } finally {
      add.mockRestore();
      put.mockRestore();
      warn.mockRestore();
    }
    await answer({ type: 'leads.listed', snapshots: [snapshot] }, tabSender, OWN_ID, 2000);
    expect(await db().leads.get(`salesforce:Lead:${snapshot.recordId}`)).toMatchObject({
      firstSeenAt: 2000,
      timesSeen: 1,
    });
  });

  it('lists recent leads newest first', async () => {
    await seeTwoLeads();
    const reply = await answer({ type: 'leads.recent', limit: 10 }, { id: OWN_ID }, OWN_ID, 3000);
    expect(reply.ok && (reply.value as { recordId: string }[]).map((l) => l.recordId)).toEqual([
      '00Q5g00000ZzYyXxWW',
      '00Q5g00000AbCdEFGH',
    ]);
  });

  it('dates a contact known only from the CRM status at the first visit, so the SLA verdict holds still', async () => {
    const contacted: LeadSnapshot = {
      ...snapshot,
      fields: { ...snapshot.fields, status: 'Working - Contacted' },
      activities: [{ type: 'demo_request', title: 'Demo request', at: '2026-11-24T10:00:00+09:00' }],
    };
    const first = Date.parse('2026-11-24T10:30:00+09:00');
    const later = Date.parse('2026-11-26T15:00:00+09:00');
    const a = await answer({ type: 'lead.seen', snapshot: contacted }, tabSender, OWN_ID, first);
    const b = await answer({ type: 'lead.seen', snapshot: contacted }, tabSender, OWN_ID, later);
    const sla = (r: typeof a) =>
      (r as { value: { sla: { state: string; contactedAt: number | null } } }).value.sla;
    expect(sla(a)).toMatchObject({ state: 'met', contactedAt: first });
    expect(sla(b)).toMatchObject({ state: 'met', contactedAt: first });
  });

  describe('the rep workflow', () => {
    const pageSender = { id: OWN_ID, url: `chrome-extension://${OWN_ID}/feedback.html?crm=salesforce` };
    const handedOver: LeadSnapshot = {
      ...snapshot,
      fields: { ...snapshot.fields, owner: 'Hanako Sato' },
      activities: [{ type: 'demo_request', title: 'Demo request', at: '2026-11-24T10:00:00+09:00' }],
    };
    const at = Date.parse('2026-11-24T10:30:00+09:00');
    const key = { crm: 'salesforce', object: 'Lead', recordId: snapshot.recordId } as const;
    const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

    it('queues a handoff once, however often the page is shown', async () => {
      await answer({ type: 'lead.seen', snapshot: handedOver }, tabSender, OWN_ID, at);
      await answer({ type: 'lead.seen', snapshot: handedOver }, tabSender, OWN_ID, at + 60_000);
      const events = await db().outbox.toArray();
      expect(events.map((e) => e.type)).toEqual(['handoff_observed']);
      expect(events[0]!.event).toMatchObject({
        reason: 'trigger',
        owner: 'Hanako Sato',
        actor: { name: 'Hanako Sato' },
      });
      // The what-if replays this explanation: it must add up to the score and carry no field values.
      const handoff = events[0]!.event as {
        score: number;
        fit: number;
        engagement: number;
        explanation: { ruleId: string; kind: string; points: number }[];
      };
      expect(handoff.fit + handoff.engagement).toBe(handoff.score);
      expect(handoff.explanation.length).toBeGreaterThan(0);
      expect(handoff.explanation.reduce((sum, line) => sum + line.points, 0)).toBe(handoff.score);
      for (const line of handoff.explanation)
        expect(Object.keys(line).sort()).toEqual(['kind', 'points', 'ruleId']);
    });

    it('writes a sighting that queues an event at once, and holds a list’s that only refreshes the lead cache', async () => {
      // Another connection to the worker's database: it releases nothing (extension/held-write.ts).
      const other = new Dexie('baton');
      await other.open();
      const soon = { timeout: HOLD_MS / 4 };
      try {
        const seen = async () => (await other.table('leads').toArray()).map((r) => r.timesSeen);
        const listed = (t: number) =>
          answer({ type: 'leads.listed', snapshots: [handedOver] }, tabSender, OWN_ID, t);
        await listed(at);
        await expect.poll(seen, soon).toEqual([1]);
        expect(await other.table('outbox').count()).toBe(1);
        await listed(at + 60_000);
        expect(await seen()).toEqual([1]);
        // The worker's own next read sees it, however soon.
        expect(await db().leads.get(leadKeyString(handedOver))).toMatchObject({ timesSeen: 2 });
        expect(await seen()).toEqual([2]);
        // A record page's sighting is written at once, event or not.
        await answer({ type: 'lead.seen', snapshot: handedOver }, tabSender, OWN_ID, at + 120_000);
        await expect.poll(seen, soon).toEqual([3]);
        // A contact known only from the CRM status is dated when first seen: a list that first shows it
        // moves the lead's stage, an event, so that date is never held.
        const contacted = { ...handedOver, fields: { ...handedOver.fields, status: 'Working - Contacted' } };
        await answer({ type: 'leads.listed', snapshots: [contacted] }, tabSender, OWN_ID, at + 180_000);
        await expect
          .poll(
            async () => (await other.table('leads').get(leadKeyString(contacted)))?.statusContactSeenAt,
            soon,
          )
          .toBe(at + 180_000);
        expect(await other.table('outbox').count()).toBe(2);
      } finally {
        other.close();
      }
    });

    it('queues one handoff when two tabs show a new lead at once, from its record or a list', async () => {
      const row = { ...handedOver, recordId: '00Q5g00000ZzYyXxWW' };
      await Promise.all([
        answer({ type: 'lead.seen', snapshot: handedOver }, tabSender, OWN_ID, at),
        answer({ type: 'lead.seen', snapshot: handedOver }, tabSender, OWN_ID, at + 1),
        answer({ type: 'leads.listed', snapshots: [row] }, tabSender, OWN_ID, at),
        answer({ type: 'leads.listed', snapshots: [row] }, tabSender, OWN_ID, at + 1),
      ]);
      const events = await db().outbox.toArray();
      expect(
        events.map((e) => [e.type, (e.event as { lead: { recordId: string } }).lead.recordId]).sort(),
      ).toEqual([
        ['handoff_observed', handedOver.recordId],
        ['handoff_observed', row.recordId],
      ]);
    });

    it('keeps a record page’s sighting, with its handoff, when a list’s held sighting of the new lead was written first', async () => {
      // The list row shows no history: its sighting queues nothing and is held, and released first by
      // the record page's write, which then finds a row it did not read.
      const row = { ...handedOver, activities: [] };
      await Promise.all([
        answer({ type: 'leads.listed', snapshots: [row] }, tabSender, OWN_ID, at),
        answer({ type: 'lead.seen', snapshot: handedOver }, tabSender, OWN_ID, at + 1),
      ]);
      const stored = await db().leads.get(leadKeyString(key));
      expect(stored).toMatchObject({ recordReadAt: at + 1, snapshot: { activities: handedOver.activities } });
      // As if the list had come first: its partial row's stage, then the record's handoff.
      expect((await db().outbox.toArray()).map((e) => e.type).sort()).toEqual([
        'handoff_observed',
        'stage_change',
      ]);
    });

    it('reads, reports and answers a lead a list shows twice once', async () => {
      const reply = await answer(
        { type: 'leads.listed', snapshots: [handedOver, handedOver] },
        tabSender,
        OWN_ID,
        at,
      );
      expect(reply.ok && reply.value).toHaveLength(1);
      expect((await db().outbox.toArray()).map((e) => e.type)).toEqual(['handoff_observed']);
      expect(await db().leads.get(leadKeyString(key))).toMatchObject({ timesSeen: 1 });
    });

    it('keeps a lead marked contacted while a sighting was reading it, whether the sighting is written at once or held', async () => {
      const mark = (lead: typeof key, n: number) =>
        answer(
          { type: 'lead.contacted', lead, idempotencyKey: uuid(n) },
          { id: OWN_ID, url: `chrome-extension://${OWN_ID}/popup.html` },
          OWN_ID,
          at + n * 1000,
        );
      /** The next read of the lead cache returns, then `between` runs, then the sighting goes on. */
      const duringRead = (between: () => Promise<unknown>) => {
        const leads = db().leads;
        const read = leads.bulkGet.bind(leads);
        return vi.spyOn(leads, 'bulkGet').mockImplementationOnce(((keys: string[]) =>
          read(keys).then(async (rows) => {
            await between();
            return rows;
          })) as never);
      };
      await answer({ type: 'lead.seen', snapshot: handedOver }, tabSender, OWN_ID, at);
      duringRead(() => mark(key, 1));
      await answer({ type: 'lead.seen', snapshot: handedOver }, tabSender, OWN_ID, at + 10_000);
      expect(await db().leads.get(leadKeyString(key))).toMatchObject({ markedContactedAt: at + 1000 });

      // A list's sighting of a known lead with nothing to report is held, and written over the rows it read only.
      const other = { ...handedOver, recordId: '00Q5g00000ZzYyXxWW' };
      const otherKey = { ...key, recordId: other.recordId };
      await answer({ type: 'leads.listed', snapshots: [other] }, tabSender, OWN_ID, at);
      duringRead(() => mark(otherKey, 2));
      const where = vi.spyOn(db().leads, 'where');
      await answer({ type: 'leads.listed', snapshots: [other] }, tabSender, OWN_ID, at + 10_000);
      expect(where).not.toHaveBeenCalledWith(':id'); // held: nothing written yet
      expect(await db().leads.get(leadKeyString(otherKey))).toMatchObject({ markedContactedAt: at + 2000 });
      expect(where).toHaveBeenCalledWith(':id'); // released by that read, before it
      where.mockRestore();
      // The record's sighting, made again from the marked row, reports the stage the mark moved the lead
      // to; the held list sighting left its row alone, and the next sighting will.
      expect((await db().outbox.toArray()).map((e) => e.type).sort()).toEqual([
        'first_contact',
        'first_contact',
        'handoff_observed',
        'handoff_observed',
        'stage_change',
      ]);
    });

    it('tells the team of a handoff a list row shows, without the partial score of its columns', async () => {
      const row = { ...handedOver, fields: { ...handedOver.fields, company: '株式会社\tタブ入り' } };
      await answer({ type: 'leads.listed', snapshots: [row] }, tabSender, OWN_ID, at);
      const [event] = (await db().outbox.toArray()).map((e) => e.event as Record<string, unknown>);
      expect(event).toMatchObject({ type: 'handoff_observed', company: '株式会社 タブ入り' });
      for (const field of ['score', 'fit', 'engagement', 'fitGrade', 'explanation'])
        expect(event).not.toHaveProperty(field);
    });

    it('counts the reading a lead.seen carries for the health report, and refuses a malformed one whole', async () => {
      const read = pageRead('record', { selector: 9, hook: 1 });
      expect(
        await answer({ type: 'lead.seen', snapshot: handedOver, read }, tabSender, OWN_ID, at),
      ).toMatchObject({
        ok: true,
      });
      await answer({ type: 'lead.seen', snapshot: handedOver }, tabSender, OWN_ID, at + 1000);
      const health = await answer({ type: 'read.health' }, pageSender, OWN_ID, at + 2000);
      expect(health).toMatchObject({
        ok: true,
        value: [
          expect.objectContaining({ crm: 'salesforce', pageKind: 'record', pages: 1, selector: 9, hook: 1 }),
        ],
      });
      const bad = await answer(
        {
          type: 'lead.seen',
          snapshot: { ...handedOver, recordId: '00Q5g00000ZzZzZZZZ' },
          read: { ...read, hook: -1 },
        },
        tabSender,
        OWN_ID,
        at + 3000,
      );
      expect(bad).toMatchObject({ ok: false });
      expect(await db().leads.get('salesforce:Lead:00Q5g00000ZzZzZZZZ')).toBeUndefined();
    });

    it('counts the reading a leads.listed carries for the health report', async () => {
      const read = pageRead('list', { selector: 2 });
      const rows = [handedOver, { ...handedOver, recordId: '00Q5g00000Lst999AA' }];
      expect(
        await answer({ type: 'leads.listed', snapshots: rows, read }, tabSender, OWN_ID, at),
      ).toMatchObject({
        ok: true,
      });
      const health = await answer({ type: 'read.health' }, pageSender, OWN_ID, at + 1000);
      expect(health).toMatchObject({
        ok: true,
        value: expect.arrayContaining([
          expect.objectContaining({ crm: 'salesforce', pageKind: 'list', pages: 1, selector: 2 }),
        ]),
      });
    });

    it('queues each handoff of a long list once, however often the list is shown', async () => {
      const rows = Array.from({ length: 40 }, (_, i) => ({
        ...handedOver,
        recordId: `00Q5g00000Lst${String(i).padStart(3, '0')}AA`,
      }));
      await answer({ type: 'leads.listed', snapshots: rows }, tabSender, OWN_ID, at);
      await answer({ type: 'leads.listed', snapshots: rows }, tabSender, OWN_ID, at + 60_000);
      const queued = await db().outbox.toArray();
      expect(queued.map((e) => e.type)).toEqual(rows.map(() => 'handoff_observed'));
      expect(new Set(queued.map((e) => e.leadKey)).size).toBe(rows.length);
    });

    it('marks a lead contacted in one click: the SLA stops and one first contact is queued, even if resent', async () => {
      await answer({ type: 'lead.seen', snapshot: handedOver }, tabSender, OWN_ID, at);
      const mark = { type: 'lead.contacted', lead: key, idempotencyKey: uuid(1) } as const;
      const first = await answer(mark, tabSender, OWN_ID, at + 5 * 60_000);
      expect(first).toMatchObject({
        ok: true,
        value: { sla: { state: 'met', contactedAt: at + 5 * 60_000 } },
      });
      await answer(mark, tabSender, OWN_ID, at + 6 * 60_000);
      const contacts = (await db().outbox.toArray()).filter((e) => e.type === 'first_contact');
      expect(contacts).toHaveLength(1);
      expect(contacts[0]!.event).toMatchObject({ source: 'manual', method: 'phone' });
    });

    it('takes feedback only from Baton’s own pages, checks the reason against the rules, and saves it durably', async () => {
      await answer({ type: 'lead.seen', snapshot: handedOver }, tabSender, OWN_ID, at);
      const feedback = {
        type: 'feedback.submit',
        lead: key,
        idempotencyKey: uuid(2),
        verdict: 'reject',
        reasonCode: 'bad_timing',
      } as const;
      expect(await answer(feedback, tabSender, OWN_ID, at)).toMatchObject({ ok: false });
      const wrongReason = await answer(feedback, pageSender, OWN_ID, at);
      expect(wrongReason).toMatchObject({ ok: false, error: { en: expect.stringMatching(/bad_timing/) } });
      const saved = await answer({ ...feedback, reasonCode: 'no_need' }, pageSender, OWN_ID, at);
      expect(saved).toEqual({ ok: true, value: { savedAt: at } });
      const stored = await db().outbox.get(uuid(2));
      expect(stored).toMatchObject({
        state: 'pending',
        event: { verdict: 'reject', reasonCode: 'no_need', rulesVersion: 0 },
      });
      // Rejected: the lead says so at once (before anyone edits the CRM record) and leaves the queue.
      const queue = await answer({ type: 'queue.list' }, pageSender, OWN_ID, at);
      expect(queue).toEqual({ ok: true, value: [] });
      const form = await answer({ type: 'feedback.form', lead: key }, pageSender, OWN_ID, at);
      expect(form).toMatchObject({
        ok: true,
        value: { lead: { stage: 'disqualified', awaitingFeedback: false }, syncConfigured: false },
      });
      const page = await answer({ type: 'lead.seen', snapshot: handedOver }, tabSender, OWN_ID, at + 1);
      expect(page).toMatchObject({ ok: true, value: { stage: 'disqualified' } });
    });
  });

  it('imports a valid rules file from the options page, and refuses an invalid one whole', async () => {
    const page = { id: OWN_ID, url: `chrome-extension://${OWN_ID}/options.html` };
    const tighter = structuredClone(defaultRuleSet);
    tighter.version = { id: 'imported-1', number: 7 };
    tighter.threshold = { ...tighter.threshold, total: tighter.threshold.total + 5 };
    const accepted = await answer({ type: 'rules.import', rules: tighter }, page, OWN_ID, 1000);
    expect(accepted).toEqual({ ok: true, value: { ok: true, versionId: 'imported-1', versionNumber: 7 } });
    expect((await rulesInForce()).threshold.total).toBe(tighter.threshold.total);

    const broken = { ...tighter, version: { id: 'broken', number: 8 }, threshold: { total: 'high' } };
    const refused = await answer({ type: 'rules.import', rules: broken }, page, OWN_ID, 2000);
    expect(refused).toMatchObject({
      ok: true,
      value: {
        ok: false,
        problems: [expect.objectContaining({ path: expect.stringContaining('threshold') })],
      },
    });
    expect((await rulesInForce()).version.id).toBe('imported-1');

    const fromPage = await answer({ type: 'rules.import', rules: tighter }, tabSender, OWN_ID, 3000);
    expect(fromPage.ok).toBe(false);
  });

  it('gives the console this browser’s rules and latest leads, and nothing to a CRM page', async () => {
    const console = { id: OWN_ID, url: `chrome-extension://${OWN_ID}/console.html` };
    expect(await answer({ type: 'rules.inForce' }, console, OWN_ID, 1000)).toEqual({
      ok: true,
      value: { rules: defaultRuleSet, source: 'default' },
    });
    await seeTwoLeads();
    const sample = await answer({ type: 'leads.sample', limit: 1 }, console, OWN_ID, 3000);
    expect(sample).toEqual({
      ok: true,
      value: [{ snapshot: { ...snapshot, recordId: '00Q5g00000ZzYyXxWW' }, markedContactedAt: null }],
    });
    expect((await answer({ type: 'leads.sample', limit: 1 }, tabSender, OWN_ID, 3000)).ok).toBe(false);
    expect((await answer({ type: 'rules.inForce' }, tabSender, OWN_ID, 3000)).ok).toBe(false);
  });
});
