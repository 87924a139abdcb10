import type { ChecklistItem, ConsolePlace } from '../../lib/checklist';
import { type Lang, textTable } from '../../lib/i18n';
import { RULE_SECTIONS } from '../../lib/rules/catalogue';

const UI = textTable({
  ja: {
    met: '達成',
    notMet: '未達成',
    setIn: '設定する場所',
    rules: 'ルール',
    agreement: '合意',
    options: '設定ページ（エンドポイント）',
    count: '項目を達成',
    confirm: '既定値のままで決定として下書きに記録',
  },
  en: {
    met: 'Met',
    notMet: 'Not met',
    setIn: 'Set it in',
    rules: 'Rules',
    agreement: 'Agreement',
    options: 'Options page (endpoint)',
    count: 'items met',
    confirm: 'Record the default as decided in the draft',
  },
});

export function placeText(place: ConsolePlace, lang: Lang): string {
  if (place.tab === 'agreement') return UI.agreement[lang];
  if (place.tab === 'options') return UI.options[lang];
  const section = RULE_SECTIONS.find((s) => s.id === place.section);
  return `${UI.rules[lang]} › ${section?.title[lang] ?? place.section}`;
}

export function ChecklistView({
  lang,
  items,
  go,
  confirm,
}: {
  lang: Lang;
  items: ChecklistItem[];
  go(place: ConsolePlace): void;
  /** Records a default as the team's decision in the rules draft (signed with the agreement); absent: read-only. */
  confirm?(number: number): void;
}) {
  const met = items.filter((i) => i.met).length;
  return (
    <div className="checklist">
      <p>
        {met} / {items.length} {UI.count[lang]}
      </p>
      <ol>
        {items.map((item) => (
          <li key={item.number} data-met={item.met} aria-labelledby={`check-${item.number}`}>
            <h3 id={`check-${item.number}`}>
              <span className="mark">{item.met ? `✓ ${UI.met[lang]}` : `✗ ${UI.notMet[lang]}`}</span>{' '}
              {item.number}. {item.title[lang]}
            </h3>
            <p>{item.reason[lang]}</p>
            <button type="button" onClick={() => go(item.place)}>
              {UI.setIn[lang]}: {placeText(item.place, lang)}
            </button>
            {confirm && item.undecided ? (
              <button type="button" onClick={() => confirm(item.number)}>
                {UI.confirm[lang]}
              </button>
            ) : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
