import { useMemo, useRef, useState } from 'react';
import { type Lang, textTable } from '../../lib/i18n';
import { formatPath, type Problem } from '../../lib/problems';
import {
  fieldLabel,
  pathText,
  REVISION_KEYS,
  RULE_SECTIONS,
  type RulesSection,
} from '../../lib/rules/catalogue';
import { Field, setAt } from './RuleFields';
import { type FieldContext, fieldId, type Path } from './RuleInputs';

const UI = textTable({
  ja: {
    form: 'フォーム',
    json: 'JSON',
    view: '表示',
    sections: 'セクション',
    valid: '問題はありません',
    problems: '件の問題',
    goTo: '移動',
    import: 'ルールファイルを読み込む',
    export: 'ルールファイルを書き出す',
    jsonLabel: 'ルールセット（JSON）',
    notJson: 'JSON として読めません',
    revision: 'バージョンの名前と番号（提案するときに付けます）',
    notObject: 'ルールセットは JSON オブジェクトです。JSON 表示で直してください',
  },
  en: {
    form: 'Form',
    json: 'JSON',
    view: 'View',
    sections: 'Sections',
    valid: 'No problems',
    problems: 'problems',
    goTo: 'Go to',
    import: 'Import a rules file',
    export: 'Export the rules file',
    jsonLabel: 'Rule set (JSON)',
    notJson: 'Not valid JSON',
    revision: 'Version name and number (set when proposing)',
    notObject: 'A rule set is a JSON object: fix it in the JSON view',
  },
});

export interface RulesEditorProps {
  lang: Lang;
  /** The draft as edited: possibly invalid, possibly not even a rule set. */
  draft: unknown;
  onChange(draft: unknown): void;
  /** validateRuleSet's problems for the draft. */
  problems: Problem[];
}

export function sectionAnchor(section: RulesSection): string {
  return `rules-${section}`;
}

/** Focuses the field of a problem, or the nearest enclosing one that is on screen. */
function focusProblem(path: Path): void {
  for (let n = path.length; n >= 0; n--) {
    const element = document.getElementById(fieldId(path.slice(0, n)));
    if (element) {
      const folded = element.closest('details');
      if (folded) folded.open = true;
      element.scrollIntoView?.({ block: 'center' });
      if (!element.hasAttribute('tabindex') && !/^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(element.tagName)) {
        element.setAttribute('tabindex', '-1');
      }
      element.focus();
      return;
    }
  }
}

export function RulesEditor({ lang, draft, onChange, problems }: RulesEditorProps) {
  const [view, setView] = useState<'form' | 'json'>('form');
  const [jsonText, setJsonText] = useState('');
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [importError, setImportError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const byPath = useMemo(() => {
    const map = new Map<string, Problem[]>();
    for (const p of problems) {
      const key = formatPath(p.path);
      map.set(key, [...(map.get(key) ?? []), p]);
    }
    return map;
  }, [problems]);

  const isObject = draft !== null && typeof draft === 'object' && !Array.isArray(draft);
  const ctx: FieldContext = {
    lang,
    problems: byPath,
    root: isObject ? (draft as Record<string, unknown>) : {},
    set: (path, value) => onChange(setAt(draft, path, value)),
  };

  const member = (key: string) => (
    <Field
      key={key}
      path={[key]}
      value={(draft as Record<string, unknown>)[key]}
      ctx={ctx}
      label={fieldLabel(key)[lang]}
    />
  );

  const showJson = () => {
    setJsonText(JSON.stringify(draft, null, 2));
    setJsonError(null);
    setView('json');
  };

  const importFile = async (file: File) => {
    try {
      onChange(JSON.parse(await file.text()));
      setImportError(null);
      if (view === 'json') setJsonText(await file.text());
    } catch (error) {
      setImportError(`${file.name}: ${UI.notJson[lang]} (${(error as Error).message})`);
    }
  };

  const exportFile = () => {
    const id =
      isObject && typeof (draft as { version?: { id?: unknown } }).version?.id === 'string'
        ? (draft as { version: { id: string } }).version.id
        : 'draft';
    const url = URL.createObjectURL(
      new Blob([`${JSON.stringify(draft, null, 2)}\n`], { type: 'application/json' }),
    );
    const link = document.createElement('a');
    link.href = url;
    link.download = `baton-rules-${id.replace(/[^\w.-]/g, '_')}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <div className="rules-editor">
      <div className="toolbar" role="toolbar" aria-label={UI.view[lang]}>
        <button type="button" aria-pressed={view === 'form'} onClick={() => setView('form')}>
          {UI.form[lang]}
        </button>
        <button type="button" aria-pressed={view === 'json'} onClick={showJson}>
          {UI.json[lang]}
        </button>
        <button type="button" onClick={() => fileInput.current?.click()}>
          {UI.import[lang]}
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="application/json,.json"
          aria-label={UI.import[lang]}
          hidden
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void importFile(file);
            e.target.value = '';
          }}
        />
        <button type="button" onClick={exportFile}>
          {UI.export[lang]}
        </button>
      </div>
      {importError ? <p role="alert">{importError}</p> : null}

      <section
        className="problem-summary"
        aria-live="polite"
        aria-label={`${problems.length} ${UI.problems[lang]}`}
      >
        {problems.length === 0 ? (
          <p className="ok">✓ {UI.valid[lang]}</p>
        ) : (
          <>
            <h3>
              {problems.length} {UI.problems[lang]}
            </h3>
            <ul>
              {problems.map((p) => (
                <li key={`${formatPath(p.path)}:${p.message.en}`}>
                  <span className="where">{pathText(p.path, draft)[lang]}</span>: {p.message[lang]}{' '}
                  {view === 'form' ? (
                    <button type="button" onClick={() => focusProblem(p.path)}>
                      {UI.goTo[lang]}
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      {view === 'json' ? (
        <div className="field json">
          <label htmlFor="rules-json">{UI.jsonLabel[lang]}</label>
          <textarea
            id="rules-json"
            spellCheck={false}
            rows={30}
            value={jsonText}
            aria-invalid={jsonError !== null || problems.length > 0}
            aria-describedby={jsonError ? 'rules-json-error' : undefined}
            onChange={(e) => {
              setJsonText(e.target.value);
              try {
                onChange(JSON.parse(e.target.value));
                setJsonError(null);
              } catch (error) {
                setJsonError(`${UI.notJson[lang]}: ${(error as Error).message}`);
              }
            }}
          />
          {jsonError ? (
            <p id="rules-json-error" role="alert">
              {jsonError}
            </p>
          ) : null}
        </div>
      ) : !isObject ? (
        <p role="alert">{UI.notObject[lang]}</p>
      ) : (
        <div className="form">
          <nav aria-label={UI.sections[lang]} className="section-nav">
            <ul>
              {RULE_SECTIONS.map((s) => (
                <li key={s.id}>
                  <a href={`#${sectionAnchor(s.id)}`}>{s.title[lang]}</a>
                </li>
              ))}
            </ul>
          </nav>
          {RULE_SECTIONS.map((s) => (
            <section
              key={s.id}
              id={sectionAnchor(s.id)}
              aria-labelledby={`${sectionAnchor(s.id)}-title`}
              tabIndex={-1}
            >
              <h3 id={`${sectionAnchor(s.id)}-title`}>{s.title[lang]}</h3>
              {s.keys.map(member)}
            </section>
          ))}
          <details
            className="revision"
            open={problems.some((p) => REVISION_KEYS.includes(p.path[0] as never))}
          >
            <summary>{UI.revision[lang]}</summary>
            {REVISION_KEYS.map(member)}
          </details>
        </div>
      )}
    </div>
  );
}
