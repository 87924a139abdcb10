import { describe, expect, it } from 'vitest';
import { splitBilingual } from '../i18n';
import { defaultEscalationLadder, defaultSlaPolicy } from './defaults';
import { escalationLadderSchema, slaPolicySchema } from './schema';

const label = { ja: 'ティア', en: 'Tier' };
const tier = (id: string, match: object) => ({
  id,
  label,
  match,
  duration: { amount: 4, unit: 'hours', clock: 'business' },
});

function problems(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  if (result.success) throw new Error('expected the input to be rejected');
  return result.error!.issues.map((i) => ({ path: i.path, message: splitBilingual(i.message) }));
}

describe('slaPolicySchema', () => {
  it('accepts the default policy as it is', () => {
    expect(slaPolicySchema.parse(defaultSlaPolicy)).toEqual(defaultSlaPolicy);
  });

  it('fills empty match lists when they are omitted', () => {
    const policy = slaPolicySchema.parse({
      tiers: [tier('all', { default: true })],
      dueSoon: { share: 0.5 },
    });
    expect(policy.tiers[0]!.match).toEqual({ triggerIds: [], fitGrades: [], default: true });
  });

  it('requires exactly one default tier, saying how many it found in both languages', () => {
    const none = problems(
      slaPolicySchema.safeParse({ tiers: [tier('a', { fitGrades: ['A'] })], dueSoon: { share: 0.5 } }),
    );
    expect(none).toContainEqual({
      path: ['tiers'],
      message: expect.objectContaining({
        en: expect.stringContaining('found 0'),
        ja: expect.stringContaining('0 個'),
      }),
    });
    const two = problems(
      slaPolicySchema.safeParse({
        tiers: [tier('a', { default: true }), tier('b', { default: true })],
        dueSoon: { share: 0.5 },
      }),
    );
    expect(two.map((p) => p.path)).toContainEqual(['tiers']);
  });

  it('rejects a repeated tier id at the second use', () => {
    const result = slaPolicySchema.safeParse({
      tiers: [tier('a', { default: true }), tier('a', { triggerIds: ['demo_request'] })],
      dueSoon: { share: 0.5 },
    });
    expect(problems(result).map((p) => p.path)).toEqual([['tiers', 1, 'id']]);
  });

  it('rejects a tier that matches nothing', () => {
    const result = slaPolicySchema.safeParse({
      tiers: [tier('a', { default: true }), tier('b', {})],
      dueSoon: { share: 0.5 },
    });
    expect(problems(result).map((p) => p.path)).toEqual([['tiers', 1, 'match']]);
  });

  it('rejects an unknown fit grade', () => {
    const result = slaPolicySchema.safeParse({
      tiers: [tier('a', { default: true, fitGrades: ['E'] })],
      dueSoon: { share: 0.5 },
    });
    expect(problems(result)[0]!.path).toEqual(['tiers', 0, 'match', 'fitGrades', 0]);
  });

  it('requires a share strictly between 0 and 1, or a before duration', () => {
    const withDueSoon = (dueSoon: object) =>
      slaPolicySchema.safeParse({ tiers: [tier('a', { default: true })], dueSoon });
    expect(problems(withDueSoon({ share: 1 }))[0]!.path).toEqual(['dueSoon', 'share']);
    expect(problems(withDueSoon({}))[0]!.path).toEqual(['dueSoon']);
    expect(withDueSoon({ before: { amount: 30, unit: 'minutes' } }).success).toBe(true);
  });

  it('rejects a fractional number of business days but allows fractional hours', () => {
    const withDuration = (duration: object) =>
      slaPolicySchema.safeParse({
        tiers: [{ ...tier('a', { default: true }), duration }],
        dueSoon: { share: 0.5 },
      });
    expect(problems(withDuration({ amount: 1.5, unit: 'days', clock: 'business' }))[0]!.path).toEqual([
      'tiers',
      0,
      'duration',
      'amount',
    ]);
    expect(withDuration({ amount: 1.5, unit: 'hours', clock: 'business' }).success).toBe(true);
    expect(withDuration({ amount: 1.5, unit: 'days', clock: 'calendar' }).success).toBe(true);
  });

  it('rejects a zero duration', () => {
    const result = slaPolicySchema.safeParse({
      tiers: [{ ...tier('a', { default: true }), duration: { amount: 0, unit: 'hours', clock: 'business' } }],
      dueSoon: { share: 0.5 },
    });
    expect(problems(result)[0]!.message.ja).toContain('0 より大きい');
  });
});

describe('escalationLadderSchema', () => {
  it('accepts the default ladder as it is', () => {
    expect(escalationLadderSchema.parse(defaultEscalationLadder)).toEqual(defaultEscalationLadder);
  });

  it('rejects a repeated step id', () => {
    const step = defaultEscalationLadder.steps[0]!;
    expect(problems(escalationLadderSchema.safeParse({ steps: [step, step] })).map((p) => p.path)).toEqual([
      ['steps', 1, 'id'],
    ]);
  });

  it('explains both forms of when in both languages', () => {
    const step = { ...defaultEscalationLadder.steps[0]!, when: { at: '10:00' } };
    const [first] = problems(escalationLadderSchema.safeParse({ steps: [step] }));
    expect(first!.path).toEqual(['steps', 0, 'when']);
    expect(first!.message.en).toContain('afterDue');
    expect(first!.message.ja).toContain('経過割合');
  });

  it('allows an escalation at the due instant but not before it', () => {
    const at = (amount: number) => ({
      steps: [
        {
          ...defaultEscalationLadder.steps[1]!,
          when: { afterDue: { amount, unit: 'hours', clock: 'business' } },
        },
      ],
    });
    expect(escalationLadderSchema.safeParse(at(0)).success).toBe(true);
    expect(escalationLadderSchema.safeParse(at(-1)).success).toBe(false);
  });

  it('requires at least one step', () => {
    expect(problems(escalationLadderSchema.safeParse({ steps: [] }))[0]!.message.en).toContain(
      'at least one',
    );
  });
});
