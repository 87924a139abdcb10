import type { Lang, LocalizedText } from '../../lib/i18n';

/**
 * What just happened, said once in words: a failure as an alert, an outcome as a status, so assistive
 * technology announces it; nothing at all while there is nothing to say.
 */
export function Notice({
  lang,
  role,
  text,
}: {
  lang: Lang;
  role: 'alert' | 'status';
  text: LocalizedText | null;
}) {
  if (!text) return null;
  return (
    <p role={role} className={role === 'alert' ? 'error' : 'done'}>
      {text[lang]}
    </p>
  );
}
