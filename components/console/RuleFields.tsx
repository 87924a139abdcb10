import { useId } from 'react';
import { crmName } from '../../lib/crm';
import { type Lang, type LocalizedText, textTable } from '../../lib/i18n';
import { CHOICES, entryName, fieldLabel, RULE_FIELDS } from '../../lib/rules/catalogue';
import {
  CONDITION_TEMPLATES,
  newEntry,
  OPTIONAL_OBJECTS,
  OPTIONAL_SCALARS,
  placeOf as shape,
} from '../../lib/rules/drafting';
import {
  ChoiceField,
  describedBy,
  fieldId,
  type Json,
  LinesField,
  LocalizedField,
  MultiChoiceField,
  NumberField,
  type Obj,
  optionTextOf,
  type Path,
  ProblemsAt,
  TextField,
  type WidgetProps,
} from './RuleInputs';

/**
 * A form for any part of the rule set, driven by the value's shape and its path: numbers, texts, ja/en
 * pairs, choices, lists with add and remove, per-CRM maps. What each member is called and which choices
 * it has come from the rule-field catalogue (lib/rules/catalogue.ts); the inputs are in RuleInputs.tsx,
 * and this file only picks one for each member and holds the list, per-CRM and group widgets.
 * Every input carries the id of its path, so a problem from validateRuleSet lands under the field it is
 * about.
 */
const t = (text: LocalizedText, lang: Lang) => text[lang];

const UI = textTable({
  ja: {
    add: '追加',
    remove: '削除',
    addCrm: 'CRM を追加',
    addEntry: '行を追加',
    key: 'キー',
    status: 'CRM のステータス',
    stage: 'ステージ',
    fieldKey: 'リードの項目キー',
    whenShare: 'SLA の経過割合で',
    whenAfterDue: '期限を過ぎてから',
  },
  en: {
    add: 'Add',
    remove: 'Remove',
    addCrm: 'Add a CRM',
    addEntry: 'Add a row',
    key: 'Key',
    status: 'Status in the CRM',
    stage: 'Stage',
    fieldKey: 'Lead field key',
    whenShare: 'At a share of the SLA',
    whenAfterDue: 'After the due time',
  },
});

function isLocalized(value: Json): value is LocalizedText {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length === 2 &&
    keys.includes('ja') &&
    keys.includes('en') &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

function ListField({ path, value, ctx, label }: WidgetProps<Json[]>) {
  const noun = label;
  return (
    <fieldset className="list" id={fieldId(path)} {...describedBy(path, ctx)}>
      <legend>{label}</legend>
      <ProblemsAt path={path} ctx={ctx} />
      <ol>
        {value.map((item, i) => {
          const title = entryName(item, i)[ctx.lang];
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: entries may have no id yet (a new rule), and the path is the index.
            <li key={i}>
              <Field path={[...path, i]} value={item} ctx={ctx} label={title} />
              <button
                type="button"
                className="remove"
                aria-label={`${t(UI.remove, ctx.lang)}: ${title}`}
                onClick={() =>
                  ctx.set(
                    path,
                    value.filter((_, j) => j !== i),
                  )
                }
              >
                {t(UI.remove, ctx.lang)}
              </button>
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={() => ctx.set(path, [...value, newEntry(shape(path))])}>
        {t(UI.add, ctx.lang)}: {noun}
      </button>
    </fieldset>
  );
}

/** statusMapping and fieldMappings: one group per CRM, with a way to add a CRM. */
function PerCrmField({ path, value, ctx, label }: WidgetProps<Obj>) {
  const missing = CHOICES.crm.filter((crm) => !(crm in value));
  const pickId = useId();
  return (
    <fieldset className="list" id={fieldId(path)}>
      <legend>{label}</legend>
      <ProblemsAt path={path} ctx={ctx} />
      {Object.entries(value).map(([crm, entries]) => (
        <EntriesField
          key={crm}
          path={[...path, crm]}
          value={(entries ?? {}) as Obj}
          ctx={ctx}
          label={crmName(crm)}
          kind={path[0] === 'statusMapping' ? 'status' : 'field'}
          onRemove={() => {
            const { [crm]: _removed, ...rest } = value;
            ctx.set(path, rest);
          }}
        />
      ))}
      {missing.length > 0 ? (
        <div className="field">
          <label htmlFor={pickId}>{t(UI.addCrm, ctx.lang)}</label>
          <select
            id={pickId}
            value=""
            onChange={(e) => e.target.value && ctx.set(path, { ...value, [e.target.value]: {} })}
          >
            <option value="">—</option>
            {missing.map((crm) => (
              <option key={crm} value={crm}>
                {crmName(crm)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
    </fieldset>
  );
}

/** One CRM's map: status → stage, or lead field key → where it is found. Keys can be renamed in place. */
function EntriesField({
  path,
  value,
  ctx,
  label,
  kind,
  onRemove,
}: WidgetProps<Obj> & {
  kind: 'status' | 'field';
  onRemove: () => void;
}) {
  const entries = Object.entries(value);
  const rename = (from: string, to: string) =>
    ctx.set(path, Object.fromEntries(entries.map(([k, v]) => (k === from ? [to, v] : [k, v]))));
  return (
    <fieldset className="entries" id={fieldId(path)}>
      <legend>{label}</legend>
      <ProblemsAt path={path} ctx={ctx} />
      <ol>
        {entries.map(([key, entry], i) => {
          const keyId = `${fieldId(path)}-key-${i}`;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: the key itself is being edited, so it cannot be the React key.
            <li key={i}>
              <div className="field">
                <label htmlFor={keyId}>{t(kind === 'status' ? UI.status : UI.fieldKey, ctx.lang)}</label>
                <input id={keyId} type="text" value={key} onChange={(e) => rename(key, e.target.value)} />
              </div>
              {kind === 'status' ? (
                <ChoiceField
                  path={[...path, key]}
                  value={entry}
                  ctx={ctx}
                  label={`${t(UI.stage, ctx.lang)}: ${key}`}
                  options={CHOICES.stage}
                  optionText={optionTextOf('stage')}
                />
              ) : (
                <Field path={[...path, key]} value={entry} ctx={ctx} label={key} />
              )}
              <button
                type="button"
                className="remove"
                aria-label={`${t(UI.remove, ctx.lang)}: ${key}`}
                onClick={() => ctx.set(path, Object.fromEntries(entries.filter(([k]) => k !== key)))}
              >
                {t(UI.remove, ctx.lang)}
              </button>
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        onClick={() => {
          let key = kind === 'status' ? 'New status' : 'newField';
          for (let n = 2; key in value; n++) key = kind === 'status' ? `New status ${n}` : `newField${n}`;
          ctx.set(path, {
            ...value,
            [key]: kind === 'status' ? 'new' : { codes: [], labels: { ja: [], en: [] } },
          });
        }}
      >
        {t(UI.addEntry, ctx.lang)}: {label}
      </button>
      <button type="button" className="remove" onClick={onRemove}>
        {t(UI.remove, ctx.lang)}: {label}
      </button>
    </fieldset>
  );
}

function ObjectField({ path, value, ctx, label }: WidgetProps<Obj>) {
  const s = shape(path);
  const optional = OPTIONAL_SCALARS[s] ?? [];
  const conditionRange = s === 'fitRules.*.condition' && value.op === 'range' ? ['min', 'max'] : [];
  const keys = [...Object.keys(value), ...[...optional, ...conditionRange].filter((k) => !(k in value))];
  const addable = Object.entries(OPTIONAL_OBJECTS[s] ?? {}).filter(([k]) => !(k in value));
  const isWhen = s === 'escalation.steps.*.when';
  return (
    <fieldset className="group" id={fieldId(path)}>
      <legend>{label}</legend>
      <ProblemsAt path={path} ctx={ctx} />
      {isWhen ? (
        <ChoiceField
          path={[...path, '(form)']}
          value={'share' in value ? 'share' : 'afterDue'}
          ctx={ctx}
          label={fieldLabel('when')[ctx.lang]}
          options={['share', 'afterDue']}
          optionText={(v, lang) => (v === 'share' ? UI.whenShare : UI.whenAfterDue)[lang]}
          onPick={(v) =>
            ctx.set(
              path,
              v === 'share' ? { share: 0.75 } : { afterDue: { amount: 0, unit: 'hours', clock: 'business' } },
            )
          }
        />
      ) : null}
      {keys.map((key) => {
        const child = [...path, key];
        if (s === 'fitRules.*.condition' && key === 'op') {
          return (
            <ChoiceField
              key={key}
              path={child}
              value={value.op}
              ctx={ctx}
              label={fieldLabel('op')[ctx.lang]}
              options={CHOICES.op}
              optionText={optionTextOf('op')}
              onPick={(op) => {
                const template = CONDITION_TEMPLATES[op] ?? { op };
                // Keep the field the rule tests when the new test has one too.
                ctx.set(
                  path,
                  'field' in template && typeof value.field === 'string'
                    ? { ...template, field: value.field }
                    : template,
                );
              }}
            />
          );
        }
        const removable = OPTIONAL_OBJECTS[s]?.[key] !== undefined;
        return (
          <div key={key} className="member">
            <Field path={child} value={value[key]} ctx={ctx} label={fieldLabel(key)[ctx.lang]} />
            {removable ? (
              <button type="button" className="remove" onClick={() => ctx.set(child, undefined)}>
                {t(UI.remove, ctx.lang)}: {fieldLabel(key)[ctx.lang]}
              </button>
            ) : null}
          </div>
        );
      })}
      {addable.map(([key, start]) => (
        <button key={key} type="button" onClick={() => ctx.set([...path, key], start)}>
          {t(UI.add, ctx.lang)}: {fieldLabel(key)[ctx.lang]}
        </button>
      ))}
    </fieldset>
  );
}

/** The right input for whatever lives at `path`. */
export function Field({ path, value, ctx, label }: WidgetProps) {
  const key = path[path.length - 1];
  const s = shape(path);
  if (typeof key === 'string' && (s === 'statusMapping' || s === 'fieldMappings')) {
    return <PerCrmField path={path} value={(value ?? {}) as Obj} ctx={ctx} label={label} />;
  }
  if (typeof value === 'boolean') {
    const id = fieldId(path);
    return (
      <div className="field checkbox">
        <input id={id} type="checkbox" checked={value} onChange={(e) => ctx.set(path, e.target.checked)} />
        <label htmlFor={id}>{label}</label>
        <ProblemsAt path={path} ctx={ctx} />
      </div>
    );
  }
  if (typeof key === 'string' && s.endsWith('match.triggerIds')) {
    const triggers = Array.isArray(ctx.root.triggers) ? (ctx.root.triggers as Obj[]) : [];
    const named = triggers.filter(
      (tr): tr is Obj & { id: string } => typeof tr.id === 'string' && tr.id !== '',
    );
    return (
      <MultiChoiceField
        path={path}
        value={value}
        ctx={ctx}
        label={label}
        options={named.map((tr) => tr.id)}
        optionText={(id, lang) =>
          entryName(
            named.find((tr) => tr.id === id),
            0,
          )[lang]
        }
      />
    );
  }
  const member = typeof key === 'string' ? RULE_FIELDS[key] : undefined;
  const choices = {
    path,
    value,
    ctx,
    label,
    options: member?.choices ?? [],
    optionText: optionTextOf(String(key)),
  };
  if (
    member?.kind === 'choices' &&
    member.choices &&
    (Array.isArray(value) || value === undefined) &&
    s !== 'fitGrades'
  ) {
    return <MultiChoiceField {...choices} />;
  }
  if (Array.isArray(value)) {
    if (member?.kind === 'lines') {
      return <LinesField path={path} value={value} ctx={ctx} label={label} />;
    }
    return <ListField path={path} value={value} ctx={ctx} label={label} />;
  }
  if (isLocalized(value)) return <LocalizedField path={path} value={value} ctx={ctx} label={label} />;
  if (value && typeof value === 'object')
    return <ObjectField path={path} value={value as Obj} ctx={ctx} label={label} />;
  if (member?.kind === 'choice' && member.choices) {
    return <ChoiceField {...choices} />;
  }
  if (member?.kind === 'number') {
    return <NumberField path={path} value={value} ctx={ctx} label={label} />;
  }
  return <TextField path={path} value={value} ctx={ctx} label={label} />;
}

/** Sets `value` at `path` in a copy of `root` (undefined removes the key or entry). */
export function setAt(root: Json, path: Path, value: Json | undefined): Json {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...Path];
  if (Array.isArray(root)) {
    const copy = [...root];
    const next = setAt(copy[head as number], rest, value);
    if (next === undefined && rest.length === 0) copy.splice(head as number, 1);
    else copy[head as number] = next;
    return copy;
  }
  const obj = root && typeof root === 'object' ? { ...(root as Obj) } : {};
  const next = setAt(obj[head as string], rest, value);
  if (next === undefined) delete obj[head as string];
  else obj[head as string] = next;
  return obj;
}
