/**
 * The SQL definition's BANT rule: how many of Budget 予算, Authority 決裁権, Need ニーズ and Timing 導入時期
 * sales must have confirmed in the conversation to accept a lead as SQL. The rule set holds the number
 * (`sqlBant.minConfirmed`); the feedback form refuses an acceptance that falls short, saying why.
 */
import type { Bant } from './events';
import type { LocalizedText } from './i18n';

export const BANT_ITEMS = ['budget', 'authority', 'need', 'timing'] as const;
export type BantItem = (typeof BANT_ITEMS)[number];

export const BANT_LABELS: Record<BantItem, LocalizedText> = {
  budget: { ja: '予算', en: 'budget' },
  authority: { ja: '決裁権', en: 'authority' },
  need: { ja: 'ニーズ', en: 'need' },
  timing: { ja: '導入時期', en: 'timing' },
};

/** Why these answers do not make an SQL under the rule, or null when they do. Only "yes" is confirmed. */
export function bantShortfall(bant: Pick<Bant, BantItem>, minConfirmed: number): LocalizedText | null {
  const confirmed = BANT_ITEMS.filter((item) => bant[item] === 'yes');
  if (confirmed.length >= minConfirmed) return null;
  const missing = BANT_ITEMS.filter((item) => bant[item] !== 'yes');
  const list = (items: readonly BantItem[], lang: 'ja' | 'en') =>
    items.length === 0
      ? lang === 'ja'
        ? 'なし'
        : 'none'
      : items.map((i) => BANT_LABELS[i][lang]).join(lang === 'ja' ? '・' : ', ');
  return {
    ja: `SQL として受け入れるには BANT の4項目中${minConfirmed}項目以上の確認が必要です。確認できたのは${confirmed.length}項目（${list(confirmed, 'ja')}）で、未確認は ${list(missing, 'ja')} です。`,
    en: `Accepting as SQL needs at least ${minConfirmed} of the 4 BANT items confirmed. ${confirmed.length} ${confirmed.length === 1 ? 'is' : 'are'} confirmed (${list(confirmed, 'en')}); not confirmed: ${list(missing, 'en')}.`,
  };
}
