import { describe, expect, it } from 'vitest';
import type { LeadTeamState } from '../lib/events';
import { type LeadView, NO_SLA } from '../lib/lead-view';
import { AWAITING_CONTACT, HANDED_OVER } from './awaiting-contact';
import { BatonDb, type StoredTeamState } from './db';
import { handedOverView, storedLead } from './test/lead-rows';

const HANDOFF = Date.parse('2026-12-01T10:00:00+09:00');

/** A stored view: handed over at HANDOFF, contacted at `contactedAt` (null: not yet), or never handed over. */
function view(contactedAt: number | null, handedOver = true): LeadView {
  const handed = handedOverView('1', HANDOFF, contactedAt);
  return handedOver ? handed : { ...handed, stage: 'new', handoff: null, sla: NO_SLA };
}

const lead = (key: string, v: LeadView | undefined) => storedLead(key, key, v);

function team(key: string, handedOver: boolean): StoredTeamState {
  const state = {
    lead: { crm: 'hubspot', object: 'contact', recordId: key },
    handoff: handedOver
      ? { handoffAt: new Date(HANDOFF).toISOString(), dueAt: new Date(HANDOFF).toISOString() }
      : null,
    firstContact: null,
    stage: null,
    feedback: null,
    escalation: null,
  } as unknown as LeadTeamState;
  return { key, state, fetchedAt: 1 };
}

const marked = async (database: BatonDb) => ({
  leads: (await database.leads.where(AWAITING_CONTACT).equals(1).primaryKeys()).sort(),
  team: (await database.teamState.where(HANDED_OVER).equals(1).primaryKeys()).sort(),
});

describe('the marks the alert check reads by', () => {
  it('marks a lead whose handoff waits for first contact, by every way a row is written', async () => {
    const database = new BatonDb(`marks-${Math.random()}`);
    await database.leads.put(lead('put', view(null)));
    await database.leads.add(lead('add', view(null)));
    await database.leads.bulkPut([lead('bulkPut', view(null)), lead('not handed over', view(null, false))]);
    await database.leads.bulkAdd([lead('bulkAdd', view(null)), lead('no view', undefined)]);
    // Contacted before this handoff: an earlier cycle's contact does not answer it.
    await database.leads.put(lead('earlier contact', view(HANDOFF - 1)));
    await database.leads.put(lead('contacted', view(HANDOFF + 60_000)));
    // A view without an SLA (stored data is a boundary): marked, read rather than missed.
    await database.leads.put({ ...lead('old row', undefined), view: { handoff: { at: HANDOFF } } as never });
    expect((await marked(database)).leads).toEqual([
      'add',
      'bulkAdd',
      'bulkPut',
      'earlier contact',
      'old row',
      'put',
    ]);

    // The mark follows the view on every kind of update, and a stale mark copied from a read row goes.
    await database.leads.update('put', { view: view(HANDOFF + 60_000) });
    await database.leads
      .where(':id')
      .equals('add')
      .modify((row, ref) => {
        ref.value = { ...row, view: view(HANDOFF + 60_000) };
      });
    await database.leads
      .where(':id')
      .equals('bulkAdd')
      .modify({ view: view(HANDOFF + 60_000) });
    // As the held write of a list's sighting does: the row replaced whole by one made without the mark.
    await database.leads
      .where(':id')
      .equals('not handed over')
      .modify((_row, ref) => {
        ref.value = lead('not handed over', view(null));
      });
    await database.leads.put({ ...(await database.leads.get('bulkPut'))!, view: view(null, false) });
    await database.leads.update('contacted', { view: view(null) });
    await database.leads.upsert('no view', { view: view(null) });
    expect((await marked(database)).leads).toEqual([
      'contacted',
      'earlier contact',
      'no view',
      'not handed over',
      'old row',
    ]);
    const row = await database.leads.get('contacted');
    expect(row).toMatchObject({ awaitingContact: 1, view: { sla: { contactedAt: null } } });
    database.close();
  });

  it('marks a team-state row that has a handoff, by every way a row is written', async () => {
    const database = new BatonDb(`marks-${Math.random()}`);
    await database.teamState.put(team('put', true));
    await database.teamState.bulkPut([team('bulkPut', true), team('no handoff', false)]);
    await database.teamState.add(team('add', false));
    expect((await marked(database)).team).toEqual(['bulkPut', 'put']);
    await database.teamState.bulkPut([team('put', false), team('add', true)]);
    await database.teamState.update('no handoff', { state: team('no handoff', true).state });
    expect((await marked(database)).team).toEqual(['add', 'bulkPut', 'no handoff']);
    database.close();
  });
});
