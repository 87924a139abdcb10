import { describe, expect, it } from 'vitest';
import {
  awaitsFirstContact,
  awaitsRep,
  type LeadView,
  NO_SLA,
  withTeamFacts,
  withVerdict,
} from './lead-view';

const bare: LeadView = {
  crm: 'hubspot',
  object: '0-1',
  recordId: '51',
  score: 10,
  fit: 10,
  engagement: 0,
  grade: 'C',
  stage: 'mql',
  handoff: null,
  why: [],
  sla: NO_SLA,
  rulesVersion: 'r1',
};

describe('withTeamFacts', () => {
  it('fills a partial view (a list row) with the score of the team’s handoff, and keeps it partial without one', () => {
    const listRow: LeadView = { ...bare, score: 0, fit: 0, grade: 'D', stage: 'new', partial: true };
    const handoff = {
      handoffAt: '2026-11-25T10:00:00+09:00',
      dueAt: '2026-11-25T11:00:00+09:00',
      score: 64,
      fit: 40,
      engagement: 24,
      fitGrade: 'B' as const,
    };
    const filled = withTeamFacts(listRow, { handoff, firstContact: null, feedback: null });
    expect(filled).toMatchObject({ score: 64, fit: 40, engagement: 24, grade: 'B', why: [] });
    expect(filled.partial).toBeUndefined();
    expect(filled.handoff?.at).toBe(Date.parse(handoff.handoffAt));
    // A handoff recorded without a score (an older event) says nothing of it: still partial.
    const unscored = withTeamFacts(listRow, {
      handoff: { handoffAt: handoff.handoffAt, dueAt: handoff.dueAt },
      firstContact: null,
      feedback: null,
    });
    expect(unscored).toMatchObject({ score: 0, partial: true });
    // A view this browser read in full keeps its own score.
    expect(withTeamFacts(bare, { handoff, firstContact: null, feedback: null }).score).toBe(10);
  });

  it('gives a lead this browser saw no handoff for the team’s handoff and deadline', () => {
    const view = withTeamFacts(bare, {
      handoff: { handoffAt: '2026-11-25T10:00:00+09:00', dueAt: '2026-11-25T11:00:00+09:00' },
      firstContact: null,
      feedback: null,
    });
    expect(view.handoff?.at).toBe(Date.parse('2026-11-25T10:00:00+09:00'));
    expect(view.sla).toMatchObject({ state: 'running', dueAt: Date.parse('2026-11-25T11:00:00+09:00') });
    // The team names no tier and planned no ladder here: the worker's alerts plan it (alerts.ts).
    expect(view.sla).toMatchObject({ tierId: null, ladder: null });
  });

  it('says the team’s due time in the business calendar’s zone, as every other due time', () => {
    const team = {
      handoff: { handoffAt: '2026-11-25T01:00:00.000Z', dueAt: '2026-11-25T02:00:00.000Z' },
      firstContact: null,
      feedback: null,
    };
    expect(withTeamFacts(bare, team, 'Asia/Tokyo').sla.dueIso).toBe('2026-11-25T11:00:00+09:00');
    expect(withTeamFacts(bare, team).sla.dueIso).toBe('2026-11-25T02:00:00.000Z');
  });

  it('stops the clock at a teammate’s first contact, met or missed by the deadline', () => {
    const team = (contact: string) => ({
      handoff: { handoffAt: '2026-11-25T10:00:00+09:00', dueAt: '2026-11-25T11:00:00+09:00' },
      firstContact: { occurredAt: contact },
      feedback: null,
    });
    expect(withTeamFacts(bare, team('2026-11-25T10:30:00+09:00')).sla.state).toBe('met');
    expect(withTeamFacts(bare, team('2026-11-25T12:00:00+09:00')).sla.state).toBe('missed');
  });

  it('does not let a teammate’s contact from an earlier cycle answer a new handoff', () => {
    const team = {
      handoff: { handoffAt: '2026-11-25T10:00:00+09:00', dueAt: '2026-11-25T11:00:00+09:00' },
      firstContact: { occurredAt: '2026-10-01T10:30:00+09:00' },
      feedback: null,
    };
    expect(withTeamFacts(bare, team).sla).toMatchObject({ state: 'running', contactedAt: null });
  });

  it('leaves a view alone when the team knows nothing', () => {
    expect(withTeamFacts(bare, { handoff: null, firstContact: null, feedback: null })).toBe(bare);
  });
});

describe('withVerdict', () => {
  const handedOver: LeadView = {
    ...bare,
    stage: 'contacted',
    handoff: { at: 1_000, reason: 'score', label: { ja: '', en: '' } },
  };

  it('shows a rep’s quality verdict as the stage at once: SQL, disqualified, recycled', () => {
    expect(withVerdict(handedOver, { verdict: 'accept_sql', at: 2_000 }).stage).toBe('sql');
    expect(withVerdict(handedOver, { verdict: 'reject', at: 2_000 }).stage).toBe('disqualified');
    expect(withVerdict(handedOver, { verdict: 'recycle', at: 2_000 }).stage).toBe('recycled');
  });

  it('leaves the stage to verdicts that are not about quality, and to an earlier cycle’s verdict', () => {
    expect(withVerdict(handedOver, { verdict: 'wrong_owner', at: 2_000 }).stage).toBe('contacted');
    expect(withVerdict(handedOver, { verdict: 'duplicate', at: 2_000 }).stage).toBe('contacted');
    expect(withVerdict(handedOver, { verdict: 'reject', at: 500 }).stage).toBe('contacted');
    expect(withVerdict(bare, { verdict: 'reject', at: 2_000 }).stage).toBe('mql');
  });

  it('keeps a stage the CRM itself says is further on', () => {
    const converted: LeadView = { ...handedOver, stage: 'converted' };
    expect(withVerdict(converted, { verdict: 'reject', at: 2_000 }).stage).toBe('converted');
  });
});

describe('awaitsRep', () => {
  it('keeps in the queue what still needs the rep, and lets rejected and recycled leads go', () => {
    expect(['new', 'mql', 'contacted', 'sql', null].map((s) => awaitsRep(s as never))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(awaitsRep('disqualified')).toBe(false);
    expect(awaitsRep('recycled')).toBe(false);
  });
});

describe('awaitsFirstContact', () => {
  const at = Date.parse('2026-12-01T10:00:00+09:00');
  const handedOver = (sla: Partial<LeadView['sla']>): LeadView => ({
    ...bare,
    handoff: { at, reason: 'score', label: { ja: '70点', en: '70 points' } },
    sla: { ...NO_SLA, state: 'running', dueAt: at + 3_600_000, ...sla },
  });

  it('waits from the handoff until a contact at or after it closes the SLA, met or missed', () => {
    expect(awaitsFirstContact(bare)).toBe(false);
    expect(awaitsFirstContact(handedOver({}))).toBe(true);
    expect(awaitsFirstContact(handedOver({ state: 'overdue' }))).toBe(true);
    expect(awaitsFirstContact(handedOver({ state: 'met', contactedAt: at }))).toBe(false);
    expect(awaitsFirstContact(handedOver({ state: 'missed', contactedAt: at + 7_200_000 }))).toBe(false);
    // A contact from before this handoff (an earlier cycle) answers nothing.
    expect(awaitsFirstContact(handedOver({ state: 'met', contactedAt: at - 1 }))).toBe(true);
  });

  it('counts a view whose state and contact disagree as waiting: the badge reads one, the alerts the other', () => {
    expect(awaitsFirstContact(handedOver({ state: 'running', contactedAt: at + 60_000 }))).toBe(true);
    expect(awaitsFirstContact({ ...bare, sla: { ...NO_SLA, state: 'overdue' } })).toBe(true);
  });
});
