import { z } from 'zod';
import { type Lang, type LocalizedText, localizedTextSchema } from './i18n';
import { leadKeySchema, type Stage, stageSchema } from './lead';

/**
 * What the worker tells a page about one lead: everything the overlay, the popup and the queue show,
 * with the SLA as absolute times so that a countdown can tick (and change state) without asking again.
 */
export const slaStateSchema = z.enum(['none', 'running', 'due_soon', 'overdue', 'met', 'missed']);
export type SlaState = z.infer<typeof slaStateSchema>;

export const leadViewSchema = leadKeySchema.extend({
  url: z.string().optional(),
  company: z.string().optional(),
  name: z.string().optional(),
  score: z.number(),
  fit: z.number(),
  engagement: z.number(),
  grade: z.enum(['A', 'B', 'C', 'D']),
  stage: stageSchema,
  handoff: z
    .object({
      at: z.number(),
      reason: z.enum(['trigger', 'score', 'crm_field']),
      /** The trigger's label, or the threshold reached, in words. */
      label: localizedTextSchema,
    })
    .nullable(),
  /** Every rule that contributed, with its points after caps and decay; they add up to the score. */
  why: z.array(
    z.object({ label: localizedTextSchema, points: z.number(), kind: z.enum(['fit', 'engagement']) }),
  ),
  sla: z.object({
    state: slaStateSchema,
    tier: localizedTextSchema.nullable(),
    dueAt: z.number().nullable(),
    /** The due time as ISO 8601 with the business calendar's offset, for data-sla-due. */
    dueIso: z.string().nullable(),
    dueSoonAt: z.number().nullable(),
    contactedAt: z.number().nullable(),
  }),
  rulesVersion: z.string(),
});
export type LeadView = z.infer<typeof leadViewSchema>;

/**
 * The SLA state at `now`, from the absolute times the worker computed: lets one shared timer move a
 * chip from running to due_soon to overdue without a round trip.
 */
export function slaStateAt(sla: LeadView['sla'], now: number): SlaState {
  if (sla.state === 'none' || sla.state === 'met' || sla.state === 'missed') return sla.state;
  if (sla.dueAt === null) return sla.state;
  if (now >= sla.dueAt) return 'overdue';
  if (sla.dueSoonAt !== null && now >= sla.dueSoonAt) return 'due_soon';
  return 'running';
}

const stageLabels: Record<Stage, LocalizedText> = {
  new: { ja: '新規', en: 'New' },
  mql: { ja: 'MQL', en: 'MQL' },
  contacted: { ja: 'コンタクト済み', en: 'Contacted' },
  sql: { ja: 'SQL', en: 'SQL' },
  disqualified: { ja: '対象外', en: 'Disqualified' },
  recycled: { ja: 'ナーチャリングへ戻し', en: 'Recycled' },
  converted: { ja: '商談化', en: 'Converted' },
};

const slaStateLabels: Record<SlaState, LocalizedText> = {
  none: { ja: 'SLA対象外', en: 'No SLA' },
  running: { ja: '対応期限内', en: 'On time' },
  due_soon: { ja: '期限間近', en: 'Due soon' },
  overdue: { ja: '期限超過', en: 'Overdue' },
  met: { ja: '期限内に対応済み', en: 'Met' },
  missed: { ja: '期限後に対応', en: 'Missed' },
};

export function stageLabel(stage: Stage, lang: Lang): string {
  return stageLabels[stage][lang];
}

export function slaStateLabel(state: SlaState, lang: Lang): string {
  return slaStateLabels[state][lang];
}
