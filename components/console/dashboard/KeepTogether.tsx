/**
 * A figure whose numbers stay with their units: 「11時間41分」 may wrap between 「11時間」 and 「41分」,
 * never inside either (Japanese text may otherwise break between any two characters, and a narrow tile
 * showed 「11時｜間41分」). Each number with the unit after it is one unbreakable span (style.css .keep).
 */
const NUMBER_WITH_UNIT = /[-+]?\d[\d,.]*(?:\s?(?:[A-Za-z%]+|[^\p{ASCII}\s/·–—（）]+))?/gu;

export function KeepTogether({ text }: { text: string }) {
  const parts: { text: string; keep: boolean }[] = [];
  let at = 0;
  for (const match of text.matchAll(NUMBER_WITH_UNIT)) {
    if (match.index > at) parts.push({ text: text.slice(at, match.index), keep: false });
    parts.push({ text: match[0], keep: true });
    at = match.index + match[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), keep: false });
  return (
    <>
      {parts.map((p, i) =>
        p.keep ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string, in order
          <span key={i} className="keep">
            {p.text}
          </span>
        ) : (
          p.text
        ),
      )}
    </>
  );
}
