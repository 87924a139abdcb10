import type { Lang } from '../lib/i18n';

const text = {
  label: {
    ja: 'マーケティングコンソール（ルール・合意・チェックリスト）',
    en: 'Marketing console (rules, agreement, checklist)',
  },
};

/** Opens the console in a tab; its write actions need a marketer, manager or admin token. */
export function ConsoleLink({ lang, href }: { lang: Lang; href: string }) {
  return (
    <p style={{ margin: '8px 0 0', fontSize: 12 }}>
      <a href={href} target="_blank" rel="noopener">
        {text.label[lang]}
      </a>
    </p>
  );
}
