import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * docs/glossary.md: one word per idea in everything a person reads. This scans the string literals of
 * the source (not tests) for the variants the glossary bans, so a new string with "リサイクル" or
 * "ブラウザ" fails here rather than in a user's eyes.
 */
const ROOT = join(import.meta.dirname, '../..');
const SOURCES = ['lib', 'components', 'entrypoints', 'extension', 'server'];

/** The CRM's own words (status values, CSV column aliases, activity recognisers) are data, not ours. */
const CRM_VOCABULARY = new Set(['lib/rules/defaults.ts', 'lib/kpi/csv.ts', 'lib/crm/activity.ts']);
/** Surfaces a rep reads: no endpoint or event jargon there. */
const REP_FACING = [
  /^components\/(SyncFooter|LeadQueue|FeedbackForm)\.tsx$/,
  /^extension\/content\//,
  /^entrypoints\/(popup|feedback)\//,
];

const BANNED: { variant: RegExp; use: string; repFacingOnly?: boolean; uiOnly?: boolean }[] = [
  { variant: /ブラウザ(?!ー)/, use: 'ブラウザー' },
  { variant: /リサイクル/, use: 'ナーチャリングへ戻す / ナーチャリングへ戻し済み' },
  { variant: /差し戻し/, use: 'ナーチャリングへ戻す, or say what is flagged' },
  { variant: /不採用/, use: '却下' },
  { variant: /締め切り|デッドライン/, use: '期限' },
  { variant: /遅延中|超過中/, use: '期限超過' },
  { variant: /初回接触|ファーストタッチ/, use: '初回コンタクト' },
  { variant: /フィードバック/, use: '評価' },
  { variant: /リビジョン/, use: 'バージョン' },
  { variant: /取り下げ/, use: '置き換え済み' },
  { variant: /フィット|エンゲージメント/, use: '属性 / 行動' },
  { variant: /承認する:/, use: '「バージョン N を承認」' },
  // A whole label of one such word: the scan sees a literal's inside, so `ja: '量'` could never match.
  { variant: /^(?:量|時計)$/, use: '長さ / 時間の数え方' },
  {
    variant: /エンドポイント|送信待ちのイベント|イベント/,
    use: 'チームとの同期 / 記録',
    repFacingOnly: true,
  },
  // Role codes belong to the token CLI and the API; pages name roles in words.
  {
    variant: /[（(](rep|manager|marketer|admin|intake)[）)]/,
    use: 'the role in words (営業担当, sales rep…)',
    uiOnly: true,
  },
  { variant: /\bendpoint\b|\bevents?\b/i, use: 'team sync / record', repFacingOnly: true },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !/\.(test|e2e|bench)\.tsx?$|\.d\.ts$/.test(name) ? [path] : [];
  });
}

/** The text of string literals and JSX text, comments left out: only what can reach a screen. */
function shownText(code: string): string[] {
  const withoutComments = code.replace(/^\s*\/\*[\s\S]*?\*\//gm, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const literals = [
    ...withoutComments.matchAll(/'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`|"((?:[^"\\\n]|\\.)*)"/g),
  ].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
  const jsxText = [...withoutComments.matchAll(/>([^<>{}\n]*[^\s<>{}][^<>{}\n]*)</g)].map((m) => m[1]!);
  return [...literals, ...jsxText];
}

describe('the glossary (docs/glossary.md)', () => {
  const files = SOURCES.flatMap((dir) => sourceFiles(join(ROOT, dir))).map((p) => relative(ROOT, p));

  it('finds the source to scan', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => REP_FACING.some((r) => r.test(f)))).toBe(true);
  });

  it('bans the variants it lists from every string a person can read', () => {
    const found: string[] = [];
    for (const file of files) {
      if (CRM_VOCABULARY.has(file)) continue;
      const repFacing = REP_FACING.some((r) => r.test(file));
      const texts = shownText(readFileSync(join(ROOT, file), 'utf8'));
      const ui = /^(components|extension|entrypoints)\//.test(file);
      for (const { variant, use, repFacingOnly, uiOnly } of BANNED) {
        if (repFacingOnly && !repFacing) continue;
        if (uiOnly && !ui) continue;
        // English jargon only in sentences, not in ids, URLs, message types or CSS.
        const candidates = variant.flags.includes('i')
          ? texts.filter((t) => /\s/.test(t) && !/[{};]|^\w+\.\w+$/.test(t))
          : texts;
        for (const text of candidates) {
          if (variant.test(text)) found.push(`${file}: "${text.slice(0, 80)}" — use ${use}`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('can fail: a banned variant in a string is caught, in a comment it is not', () => {
    expect(
      shownText("const hosts = ['https://*.example.com/*'];\nconst t = { ja: 'リサイクル' };"),
    ).toContain('リサイクル');
    expect(shownText("const a = { ja: 'リサイクル' }; // ブラウザ").join('|')).toBe('リサイクル');
    expect(shownText('<p>このブラウザで</p>')).toEqual(['このブラウザで']);
  });
});
