import type { ActivityType } from '../lead';

// Keywords, Japanese and English, for what an activity was. Specific intents (a document request, a
// demo) come first: a form titled "資料請求" is a document request, not just a form.
const SPECIFIC: readonly [RegExp, ActivityType][] = [
  [/資料請求|document request|request (a |for )?(document|brochure)/i, 'document_request'],
  [/デモ|\bdemo\b/i, 'demo_request'],
  [/ダウンロード|資料dl|download/i, 'download'],
  [/ウェビナー|webinar/i, 'webinar'],
];
const GENERAL: readonly [RegExp, ActivityType][] = [
  [/セミナー|展示会|イベント|\bevent\b|\bseminar\b|trade ?show/i, 'event'],
  [/開封|email_open|opened/i, 'email_open'],
  [/クリック|click/i, 'email_click'],
  [/フォーム|\bform\b|form submi/i, 'form_submit'],
  [/ページ閲覧|page ?view|viewed|visited .*\/|pricing/i, 'page_view'],
  [/サイト訪問|web ?visit|site visit/i, 'web_visit'],
  [/電話|通話|\bcall(ed)?\b/i, 'call'],
  [/会議|打ち合わせ|商談|meeting|appointment/i, 'meeting'],
  [/メール|email|e-mail/i, 'email_sent'],
];
const ALL = [...SPECIFIC, ...GENERAL];

// What a rep did (or saw happen to a sent email) is fixed by the CRM's own kind marker, whatever the
// subject says: an email titled "brochure download link" is still an email sent.
const DECIDED_BY_KIND = new Set<ActivityType>([
  'call',
  'email_sent',
  'meeting',
  'email_open',
  'email_click',
  'page_view',
]);

function match(text: string, table: readonly [RegExp, ActivityType][]): ActivityType | undefined {
  for (const [pattern, type] of table) if (pattern.test(text)) return type;
  return undefined;
}

/**
 * The activity type of a timeline entry, from the CRM's kind marker (normalised by the adapter to a
 * word such as "call", "email", "meeting", "form") and its title.
 */
export function activityType(kind: string, title: string): ActivityType {
  const byKind = kind ? match(kind, ALL) : undefined;
  if (byKind && DECIDED_BY_KIND.has(byKind)) return byKind;
  return match(title, SPECIFIC) ?? byKind ?? match(title, GENERAL) ?? 'other';
}
