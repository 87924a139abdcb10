import { type ReactNode, useEffect, useState } from 'react';
import { crmName } from '../../lib/crm';
import type { Lang, LocalizedText } from '../../lib/i18n';
import { stageLabel } from '../../lib/lead-view';
import { formatPath, type Problem } from '../../lib/problems';
import { type CHOICES, choiceText, fieldLabel, pathText } from '../../lib/rules/catalogue';

/**
 * The inputs of the rules editor, one per kind of value (a number, a text, lines, a choice, several
 * choices, a ja/en pair), each labelled and showing the problems validateRuleSet found at its path.
 * RuleFields.tsx picks which one a member gets.
 */
export type Path = (string | number)[];
export type Json = unknown;
export type Obj = Record<string, Json>;

export interface FieldContext {
  lang: Lang;
  /** Problems keyed by formatPath(path). */
  problems: Map<string, Problem[]>;
  /** The whole draft, for choices that depend on it (an SLA tier's triggers). */
  root: Obj;
  set(path: Path, value: Json | undefined): void;
}

/** What every widget gets: where it is, what it holds there, the editor's context and its label. */
export interface WidgetProps<V = Json> {
  path: Path;
  value: V;
  ctx: FieldContext;
  label: string;
}

const UI = {
  none: { ja: '（なし）', en: '(none)' },
} satisfies Record<string, LocalizedText>;

export function fieldId(path: Path): string {
  return `f-${formatPath(path).replace(/\s/g, '_')}`;
}

/** A choice in words: stages and CRMs by the names reps see, the rest from the catalogue. */
export type OptionText = (value: string, lang: Lang) => string;
export const optionTextOf =
  (set: string): OptionText =>
  (value, lang) =>
    set === 'stage'
      ? stageLabel(value as (typeof CHOICES.stage)[number], lang)
      : set === 'crm'
        ? crmName(value)
        : choiceText(set, value)[lang];

export function valueAt(root: Json, path: Path): Json {
  let at = root;
  for (const part of path) at = at && typeof at === 'object' ? (at as Obj)[part as string] : undefined;
  return at;
}

export function ProblemsAt({ path, ctx, deep = false }: { path: Path; ctx: FieldContext; deep?: boolean }) {
  const key = formatPath(path);
  const own = ctx.problems.get(key) ?? [];
  const nested = deep
    ? [...ctx.problems.entries()].filter(([k]) => k !== key && k.startsWith(`${key}[`)).flatMap(([, v]) => v)
    : [];
  const all = [...own, ...nested];
  if (all.length === 0) return null;
  return (
    <ul className="problems" id={`${fieldId(path)}-problems`}>
      {all.map((p) => (
        <li key={`${formatPath(p.path)}:${p.message.en}`}>
          {deep && p.path.length > path.length
            ? `${pathText(p.path.slice(path.length), valueAt(ctx.root, path))[ctx.lang]}: `
            : ''}
          {p.message[ctx.lang]}
        </li>
      ))}
    </ul>
  );
}

function hasProblem(path: Path, ctx: FieldContext, deep = false): boolean {
  const key = formatPath(path);
  if (ctx.problems.has(key)) return true;
  return deep && [...ctx.problems.keys()].some((k) => k.startsWith(`${key}[`));
}

export function describedBy(path: Path, ctx: FieldContext, deep = false) {
  return hasProblem(path, ctx, deep)
    ? { 'aria-invalid': true as const, 'aria-describedby': `${fieldId(path)}-problems` }
    : {};
}

/** Keeps what the user typed ("5.", "abc") while the draft holds the parsed value, so nothing jumps. */
function useTyped<T>(
  value: T,
  format: (v: T) => string,
  parse: (s: string) => T,
): [string, (s: string) => T] {
  const [typed, setTyped] = useState(() => format(value));
  useEffect(() => {
    setTyped((current) => (format(parse(current)) === format(value) ? current : format(value)));
  }, [value, format, parse]);
  return [
    typed,
    (s: string) => {
      setTyped(s);
      return parse(s);
    },
  ];
}

const formatNumber = (v: Json) => (v === undefined || v === null ? '' : String(v));
const parseNumber = (s: string): Json => {
  const trimmed = s.trim();
  if (trimmed === '') return undefined;
  return /^-?\d+(?:\.\d+)?$/.test(trimmed) ? Number(trimmed) : s;
};
const formatLines = (v: Json) => (Array.isArray(v) ? v.join('\n') : '');
const parseLines = (s: string): Json =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

/** A labelled field: its label, its control, and the problems found at its path (beside it, in words). */
function FieldFrame({
  id,
  label,
  path,
  ctx,
  deep = false,
  children,
}: {
  id: string;
  label: WidgetProps['label'];
  path: Path;
  ctx: FieldContext;
  deep?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      <ProblemsAt path={path} ctx={ctx} deep={deep} />
    </div>
  );
}

export function NumberField({ path, value, ctx, label }: WidgetProps) {
  const [typed, parse] = useTyped(value, formatNumber, parseNumber);
  const id = fieldId(path);
  return (
    <FieldFrame id={id} label={label} path={path} ctx={ctx}>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        value={typed}
        onChange={(e) => ctx.set(path, parse(e.target.value))}
        {...describedBy(path, ctx)}
      />
    </FieldFrame>
  );
}

export function TextField({
  path,
  value,
  ctx,
  label,
  multiline = false,
}: WidgetProps & {
  multiline?: boolean;
}) {
  const id = fieldId(path);
  const common = {
    id,
    value: typeof value === 'string' ? value : value === undefined ? '' : String(value),
    onChange: (e: { target: { value: string } }) =>
      ctx.set(path, e.target.value === '' && !multiline ? undefined : e.target.value),
    ...describedBy(path, ctx),
  };
  return (
    <FieldFrame id={id} label={label} path={path} ctx={ctx}>
      {multiline ? <textarea rows={3} {...common} /> : <input type="text" {...common} />}
    </FieldFrame>
  );
}

export function LinesField({ path, value, ctx, label }: WidgetProps) {
  const [typed, parse] = useTyped(value, formatLines, parseLines);
  const id = fieldId(path);
  return (
    <FieldFrame id={id} label={label} path={path} ctx={ctx} deep>
      <textarea
        id={id}
        rows={Math.min(8, Math.max(2, Array.isArray(value) ? value.length : 2))}
        value={typed}
        onChange={(e) => ctx.set(path, parse(e.target.value))}
        {...describedBy(path, ctx, true)}
      />
    </FieldFrame>
  );
}

export function ChoiceField({
  path,
  value,
  ctx,
  label,
  options,
  optionText,
  onPick,
}: WidgetProps & {
  options: readonly string[];
  optionText: OptionText;
  onPick?: (v: string) => void;
}) {
  const id = fieldId(path);
  const current = typeof value === 'string' ? value : '';
  return (
    <FieldFrame id={id} label={label} path={path} ctx={ctx}>
      <select
        id={id}
        value={current}
        onChange={(e) => (onPick ? onPick(e.target.value) : ctx.set(path, e.target.value))}
        {...describedBy(path, ctx)}
      >
        {options.includes(current) ? null : <option value={current}>{current || UI.none[ctx.lang]}</option>}
        {options.map((o) => (
          <option key={o} value={o}>
            {optionText(o, ctx.lang)}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function MultiChoiceField({
  path,
  value,
  ctx,
  label,
  options,
  optionText,
}: WidgetProps & {
  options: readonly string[];
  optionText: OptionText;
}) {
  const chosen = Array.isArray(value) ? (value as string[]) : [];
  const base = fieldId(path);
  return (
    <fieldset className="choices" id={base} {...describedBy(path, ctx, true)}>
      <legend>{label}</legend>
      {options.map((o) => (
        <label key={o} className="choice">
          <input
            type="checkbox"
            checked={chosen.includes(o)}
            onChange={(e) => ctx.set(path, e.target.checked ? [...chosen, o] : chosen.filter((c) => c !== o))}
          />
          {optionText(o, ctx.lang)}
        </label>
      ))}
      <ProblemsAt path={path} ctx={ctx} deep />
    </fieldset>
  );
}

export function LocalizedField({ path, value, ctx, label }: WidgetProps<LocalizedText>) {
  const long = path[path.length - 1] === 'mql' || path[path.length - 1] === 'sql';
  return (
    <fieldset className="pair" id={fieldId(path)}>
      <legend>{label}</legend>
      {(['ja', 'en'] as const).map((l) => (
        <TextField
          key={l}
          path={[...path, l]}
          value={value[l]}
          ctx={ctx}
          label={`${label}（${fieldLabel(l)[ctx.lang]}）`}
          multiline={long}
        />
      ))}
      <ProblemsAt path={path} ctx={ctx} />
    </fieldset>
  );
}
