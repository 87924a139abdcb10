/**
 * Handoff intake: how the notification a marketing-automation tool or CRM automation sends (a HubSpot
 * workflow webhook, a kintone app webhook, a Pipedrive lead webhook, a Salesforce Flow callout, a CSV
 * row) becomes a lead snapshot Baton can score. A mapping names, per canonical field, the payload path
 * that holds it; extraction is pure and reports every problem at once, in ja and en.
 */
import { z } from 'zod';
import { salesforceId18 } from '../crm/salesforce-id';
import { bilingual, type LocalizedText, textTable } from '../i18n';
import { crmIdSchema, type LeadField, type LeadSnapshot, leadFieldSchema, leadKeySchema } from '../lead';
import type { Problem } from '../problems';

/** The sources Baton has mappings and fixtures for; each has its own intake token (role intake). */
export const intakeSourceSchema = z.enum(['hubspot', 'kintone', 'pipedrive', 'salesforce', 'csv'], {
  error: bilingual(
    '取り込み元は hubspot・kintone・pipedrive・salesforce・csv のいずれかです',
    'The intake source is hubspot, kintone, pipedrive, salesforce or csv',
  ),
});
export type IntakeSource = z.infer<typeof intakeSourceSchema>;
export const INTAKE_SOURCES = intakeSourceSchema.options;

/**
 * A dotted path into the payload: "properties.company.value", "record.会社名.value",
 * "record.担当者.value.0.name" (a number indexes a list). For CSV, the column header.
 */
const payloadPathSchema = z
  .string({ error: bilingual('パスを文字列で指定してください', 'Give a path as a string') })
  .min(1, bilingual('パスが空です', 'A path is empty'))
  .max(200, bilingual('パスは200文字以内です', 'A path has at most 200 characters'));

/** A fixed value, or the path that holds it. */
const valueOrPathSchema = z.union([
  z.strictObject({ value: z.string().min(1).max(128) }),
  z.strictObject({ path: payloadPathSchema }),
]);

export const intakeMappingSchema = z.strictObject({
  /** Which CRM the lead lives in: fixed for a CRM's own webhook, a column for CSV. */
  crm: valueOrPathSchema,
  /** The CRM object ("Lead", "0-1", the kintone app id...). */
  object: valueOrPathSchema,
  recordId: payloadPathSchema,
  /**
   * The source's own id of this notification, kept across its retries: its paths' values joined. A
   * source with no delivery id (HubSpot workflows, Pipedrive) uses the record id plus the moment it
   * describes, so a retry maps to the same id and a later change to a new one.
   */
  eventId: z
    .array(payloadPathSchema)
    .min(1, bilingual('eventId のパスを1つ以上指定してください', 'Give at least one eventId path'))
    .max(4, bilingual('eventId のパスは4つまでです', 'At most 4 eventId paths')),
  /** Canonical lead field → payload path. */
  fields: z.partialRecord(leadFieldSchema, payloadPathSchema),
  /**
   * The team's CRM site (lib/crm/links.ts: a host, an origin or a record URL; HubSpot's portal id), so
   * the lead's record page can be linked before anyone opened it. Optional: no site, no link.
   */
  site: valueOrPathSchema.optional(),
});
export type IntakeMapping = z.infer<typeof intakeMappingSchema>;

/** Per source, a mapping that replaces the built-in one (./sources.ts) for that source. */
export const intakeMappingsSchema = z.partialRecord(intakeSourceSchema, intakeMappingSchema);
export type IntakeMappings = z.infer<typeof intakeMappingsSchema>;

/** What one notification says: the source's event id and the lead as a snapshot. */
export interface IntakeRecord {
  eventId: string;
  snapshot: LeadSnapshot;
  site?: string;
}

type PathPart = string | number;

function splitPath(path: string): PathPart[] {
  return path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** The value at `path`, or undefined; never throws on odd shapes (payloads are strangers' data). */
export function valueAt(payload: unknown, path: string): unknown {
  let here: unknown = payload;
  for (const part of splitPath(path)) {
    if (here === null || typeof here !== 'object') return undefined;
    if (typeof part === 'number') {
      if (!Array.isArray(here)) return undefined;
      here = here[part];
    } else {
      if (Array.isArray(here) || !Object.hasOwn(here, part)) return undefined;
      here = (here as Record<string, unknown>)[part];
    }
  }
  return here;
}

/** A scalar as text ("" for empty), or undefined for a list or object the mapping should go into. */
function textOf(value: unknown): string | undefined {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

const DATE_FIELDS: ReadonlySet<LeadField> = new Set(['mqlAt', 'createdAt']);

/**
 * HubSpot sends dates as epoch milliseconds ("1764840600000"), Pipedrive's meta as epoch seconds;
 * the evaluator reads display text, so an epoch becomes an ISO instant here.
 */
function dateText(text: string): string {
  if (/^\d{12,13}$/.test(text)) return new Date(Number(text)).toISOString();
  if (/^\d{9,10}$/.test(text)) return new Date(Number(text) * 1000).toISOString();
  return text;
}

const MAX_FIELD = 2000;

function missing(path: PathPart[], what: LocalizedText): Problem {
  return {
    path,
    message: {
      ja: `${what.ja}がありません（マッピングのパスに値がありません）`,
      en: `The ${what.en} is missing (the mapping's path holds no value)`,
    },
  };
}

const LABEL: Record<'crm' | 'object' | 'recordId' | 'eventId', LocalizedText> = textTable({
  ja: {
    crm: 'CRM',
    object: 'オブジェクト',
    recordId: 'レコード ID',
    eventId: 'イベント ID',
  },
  en: {
    crm: 'CRM',
    object: 'object',
    recordId: 'record id',
    eventId: 'event id',
  },
});

/**
 * The lead a payload describes, or every problem with it. Problem paths point into the payload (for
 * CSV, `prefix` adds the line), so an admin sees which value to fix on the sending side.
 */
export function extractIntake(
  mapping: IntakeMapping,
  payload: unknown,
  prefix: PathPart[] = [],
): { ok: true; value: IntakeRecord } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const at = (path: string) => [...prefix, ...splitPath(path)];
  const required = (key: 'crm' | 'object' | 'recordId', source: { value: string } | { path: string }) => {
    if ('value' in source) return source.value;
    const text = textOf(valueAt(payload, source.path));
    if (!text) {
      problems.push(missing(at(source.path), LABEL[key]));
      return undefined;
    }
    return text;
  };
  const crmText = required('crm', mapping.crm);
  const object = required('object', mapping.object);
  const recordId = required('recordId', { path: mapping.recordId });
  const crm = crmText === undefined ? undefined : crmIdSchema.safeParse(crmText.toLowerCase());
  if (crm && !crm.success) {
    problems.push({
      path: 'path' in mapping.crm ? at(mapping.crm.path) : [...prefix, 'crm'],
      message: {
        ja: `CRM「${crmText}」には対応していません（salesforce・hubspot・dynamics・zoho・pipedrive・kintone）`,
        en: `The CRM "${crmText}" is not one Baton reads (salesforce, hubspot, dynamics, zoho, pipedrive, kintone)`,
      },
    });
  }
  const idParts: string[] = [];
  for (const path of mapping.eventId) {
    const text = textOf(valueAt(payload, path));
    if (!text) problems.push(missing(at(path), LABEL.eventId));
    else idParts.push(text);
  }
  const tooLong = (path: string, max: number): Problem => ({
    path: at(path),
    message: { ja: `値は${max}文字以内にしてください`, en: `The value has at most ${max} characters` },
  });
  // The lead key's own limits (lib/lead.ts), so intake refuses what every other boundary refuses.
  const objectMax = leadKeySchema.shape.object.maxLength ?? Number.POSITIVE_INFINITY;
  const recordIdMax = leadKeySchema.shape.recordId.maxLength ?? Number.POSITIVE_INFINITY;
  if (object && object.length > objectMax) {
    problems.push(tooLong((mapping.object as { path: string }).path, objectMax));
  }
  if (recordId && recordId.length > recordIdMax) problems.push(tooLong(mapping.recordId, recordIdMax));

  const fields: Record<string, string> = {};
  for (const [field, path] of Object.entries(mapping.fields) as [LeadField, string][]) {
    const value = valueAt(payload, path);
    const text = textOf(value);
    if (text === undefined) {
      problems.push({
        path: at(path),
        message: {
          ja: 'ここには文字列か数値が必要です（一覧やオブジェクトの中の値をパスで指定してください）',
          en: 'A text or number is needed here (point the path at a value inside the list or object)',
        },
      });
      continue;
    }
    if (text === '') continue;
    if (text.length > MAX_FIELD) {
      problems.push(tooLong(path, MAX_FIELD));
      continue;
    }
    fields[field] = DATE_FIELDS.has(field) ? dateText(text) : text;
  }
  if (problems.length > 0 || !crm?.success || !object || !recordId) {
    return { ok: false, problems };
  }
  const key = canonicalRecordId(crm.data, recordId);
  if (key === null) {
    return {
      ok: false,
      problems: [
        {
          path: at(mapping.recordId),
          message: {
            ja: `Salesforce のレコード ID（15 または 18 文字の英数字）ではありません: "${recordId}"`,
            en: `Not a Salesforce record id (15 or 18 letters and digits): "${recordId}"`,
          },
        },
      ],
    };
  }
  const site =
    mapping.site &&
    ('value' in mapping.site ? mapping.site.value : textOf(valueAt(payload, mapping.site.path)));
  return {
    ok: true,
    value: {
      eventId: idParts.join('|'),
      snapshot: { crm: crm.data, object, recordId: key, fields, activities: [] },
      ...(site ? { site } : {}),
    },
  };
}

/**
 * The record id as the CRM adapters key it, so an intake lead and the same lead seen on its page are one
 * lead: Salesforce in its 18-character form, Pipedrive lead UUIDs in lower case (lib/crm/pipedrive.ts).
 */
function canonicalRecordId(crm: LeadSnapshot['crm'], id: string): string | null {
  if (crm === 'salesforce') return salesforceId18(id);
  if (crm === 'pipedrive') return id.toLowerCase();
  return id;
}
