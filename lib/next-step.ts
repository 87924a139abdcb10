/**
 * What the rep should do next on a lead, in words, from what the view already knows: the first contact
 * by an agreed method while none is known, then a verdict on the lead's quality. Small and import-free:
 * the content script bundles it.
 */
import type { LocalizedText } from './i18n';
import type { LeadView } from './lead-view';

const STAGES_DONE = new Set<LeadView['stage']>([
  'sql',
  'disqualified',
  'recycled',
  'converted',
  'won',
  'lost',
]);

/**
 * The next thing the rules ask of the rep: the first contact by an agreed method while none is known,
 * then a verdict on the lead's quality; nothing once the lead has moved on or was never handed over.
 */
export function nextStep(
  view: Pick<LeadView, 'handoff' | 'stage' | 'sla' | 'contactBy'>,
): LocalizedText | null {
  if (!view.handoff || STAGES_DONE.has(view.stage)) return null;
  if (view.sla.contactedAt === null) {
    const by = view.contactBy;
    return {
      ja: `次の対応: 初回コンタクト${by?.ja ? `（${by.ja}）` : ''}`,
      en: `Next step: first contact${by?.en ? ` by ${by.en}` : ''}`,
    };
  }
  return {
    ja: '次の対応: リードの質を評価して送る',
    en: 'Next step: send feedback on the lead’s quality',
  };
}
