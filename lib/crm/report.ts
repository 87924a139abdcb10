import type { Lang } from '../i18n';
import type { ReadTier } from './fallback';
import type { PageKind } from './types';

/**
 * The text a rep sends when Baton cannot read a CRM page: what kind of page on which CRM, and how far
 * reading got, never a field value, a record id or the page's query (they can name a customer).
 */
export interface UnreadPage {
  crmName: string;
  pageKind: PageKind;
  url: URL;
  /** Fields read per tier on this page (all zero when nothing could be read). */
  tiers: Partial<Record<ReadTier, number>>;
  extensionVersion: string;
  lang: Lang;
}

/** The URL's path with every id-like segment replaced, so the report says which page without whose. */
export function pageShape(url: URL): string {
  const path = url.pathname
    .split('/')
    .map((part) => (/\d/.test(part) && part.length >= 3 ? '{id}' : part))
    .join('/');
  return `${url.protocol}//${url.hostname}${path}`;
}

export function unreadReport(page: UnreadPage): { subject: string; body: string } {
  const counts = (['selector', 'hook', 'label'] as const).map((t) => `${t}=${page.tiers[t] ?? 0}`).join(', ');
  const kind = page.pageKind === 'record' ? { ja: 'レコード', en: 'record' } : { ja: '一覧', en: 'list' };
  if (page.lang === 'ja') {
    return {
      subject: `Baton: ${page.crmName} の${kind.ja}画面を読み取れません`,
      body: [
        `Baton が ${page.crmName} の${kind.ja}画面の項目を読み取れませんでした。`,
        `CRM: ${page.crmName}`,
        `画面の種類: ${kind.ja} (${page.pageKind})`,
        `ページ: ${pageShape(page.url)}`,
        `読み取れた項目数: ${counts}`,
        `Baton のバージョン: ${page.extensionVersion}`,
        '（項目の値・レコード ID は含まれていません）',
      ].join('\n'),
    };
  }
  return {
    subject: `Baton cannot read a ${page.crmName} ${kind.en} page`,
    body: [
      `Baton could not read the fields of a ${page.crmName} ${kind.en} page.`,
      `CRM: ${page.crmName}`,
      `Page kind: ${page.pageKind}`,
      `Page: ${pageShape(page.url)}`,
      `Fields read: ${counts}`,
      `Baton version: ${page.extensionVersion}`,
      '(No field values or record ids are included.)',
    ].join('\n'),
  };
}
