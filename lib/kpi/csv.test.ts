import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { salesforceId18 } from '../crm/salesforce-id';
import { OUTCOMES_CSV_MAX_ROWS, parseOutcomesCsv, readCsv, toCsv } from './csv';

const BOM = '\uFEFF';

describe('toCsv', () => {
  it('starts with a UTF-8 BOM and ends every line with CRLF', () => {
    const csv = toCsv(['週', 'MQL'], [['2026-11-23', 12]]);
    expect(csv).toBe(`${BOM}週,MQL\r\n2026-11-23,12\r\n`);
  });

  it('quotes fields holding commas, quotes or line breaks, and writes null as empty', () => {
    const csv = toCsv(['a', 'b', 'c', 'd'], [['株式会社A, 東京', 'He said "はい"', '1行目\n2行目', null]]);
    expect(csv.split('\r\n')[1]).toBe('"株式会社A, 東京","He said ""はい""","1行目\n2行目",');
  });

  it('makes text a spreadsheet would run as a formula into plain text', () => {
    const cells = ['=HYPERLINK("https://evil.example")', '+81 3-1234-5678', '@SUM(A1)', '-A1', '\tx', '\r=1'];
    const [, row] = readCsv(toCsv(['x', 'x', 'x', 'x', 'x', 'x'], [cells]));
    expect(row).toEqual(cells.map((c) => `'${c}`));
  });

  it('leaves plain numbers alone, negative and signed ones too', () => {
    const [, row] = readCsv(toCsv(['n', 'n', 'n', 'n', 'n'], [['-12', '+3.5', '-1e3', -7, 0.25]]));
    expect(row).toEqual(['-12', '+3.5', '-1e3', '-7', '0.25']);
  });

  it('writes a non-finite number as an empty field', () => {
    expect(toCsv(['rate'], [[Number.NaN]])).toBe(`${BOM}rate\r\n\r\n`);
  });

  it('round-trips Japanese text, quotes, commas and line breaks through readCsv', () => {
    const header = ['担当者', 'メモ'];
    const rows = [
      ['田中 太郎', '「資料請求」後に電話、\r\n折り返し待ち'],
      ['鈴木', '"至急" と言われた, 予算あり'],
      ['', 'ＳａａＳ　全角'],
    ];
    expect(readCsv(toCsv(header, rows))).toEqual([header, ...rows]);
  });

  it('round-trips any text, with only formula-like cells changed', () => {
    const cell = fc.string({
      unit: fc.constantFrom('a', 'あ', '"', ',', '\r', '\n', '=', '+', '-', '@', '\t', ' ', '1'),
    });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { maxLength: 10 }), (rows) => {
        const header = ['a', 'b', 'c'];
        const expected = rows.map((row) =>
          row.map((c) => (/^[=+\-@\t\r]/.test(c) && !/^[+-]?(?:\d+\.?\d*|\.\d+)$/.test(c) ? `'${c}` : c)),
        );
        expect(readCsv(toCsv(header, rows))).toEqual([header, ...expected]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseOutcomesCsv', () => {
  it('reads the history from before Baton: MQL, SQL and rejected, in either language', () => {
    const parsed = parseOutcomesCsv(
      'crm,object,record_id,outcome,date\nkintone,58,1,MQL,2026-01-05\nkintone,58,1,ＳＱＬ,2026-01-06\nkintone,58,2,却下,2026-01-07\nkintone,58,3,rejected,2026-01-07\n',
      'Asia/Tokyo',
    );
    expect(parsed.ok && parsed.rows.map((r) => r.outcome)).toEqual(['mql', 'sql', 'rejected', 'rejected']);
    const bad = parseOutcomesCsv('crm,object,record_id,outcome,date\nkintone,58,1,marketing,2026-01-05\n');
    expect(!bad.ok && bad.problems[0]!.message.en).toContain('mql, sql, rejected');
  });

  const header = 'crm,object,record_id,outcome,date';

  it('reads rows into outcome rows keyed as the extension keys leads', () => {
    const id15 = '00Q5g00000AbCdE';
    const text = [
      header,
      `salesforce,Lead,${id15},opportunity,2026-11-20`,
      'HubSpot,contact,51,won,2026-11-21',
      'dynamics,lead,{3F2504E0-4F89-11D3-9A0C-0305E82C3301},lost,2026-11-22',
      'zoho,leads,4876876000000323001,won,2026-11-23',
      'pipedrive,lead,ADF21A20-0A1B-11EF-8B0B-6D0F1E2B3C4D,opportunity,2026-11-24',
      'kintone,12,345,lost,2026-11-25',
    ].join('\n');
    const result = parseOutcomesCsv(text);
    expect(result).toEqual({
      ok: true,
      rows: [
        {
          leadKey: `salesforce:Lead:${salesforceId18(id15)}`,
          crm: 'salesforce',
          outcome: 'opportunity',
          at: Date.UTC(2026, 10, 20),
        },
        { leadKey: 'hubspot:contact:51', crm: 'hubspot', outcome: 'won', at: Date.UTC(2026, 10, 21) },
        {
          leadKey: 'dynamics:lead:3f2504e0-4f89-11d3-9a0c-0305e82c3301',
          crm: 'dynamics',
          outcome: 'lost',
          at: Date.UTC(2026, 10, 22),
        },
        {
          leadKey: 'zoho:Leads:4876876000000323001',
          crm: 'zoho',
          outcome: 'won',
          at: Date.UTC(2026, 10, 23),
        },
        {
          leadKey: 'pipedrive:lead:adf21a20-0a1b-11ef-8b0b-6d0f1e2b3c4d',
          crm: 'pipedrive',
          outcome: 'opportunity',
          at: Date.UTC(2026, 10, 24),
        },
        { leadKey: 'kintone:12:345', crm: 'kintone', outcome: 'lost', at: Date.UTC(2026, 10, 25) },
      ],
    });
    expect(salesforceId18(id15)).toHaveLength(18);
  });

  it('reads a Japanese header in any order, a BOM, CRLF and the Japanese outcomes, as Excel saves them', () => {
    const text = `${BOM}日付,結果,ＣＲＭ,オブジェクト,レコードID,備考\r\n2026/11/5,商談化,hubspot,contact,1,\r\n2026/11/06,受注,hubspot,contact,2,\r\n2026-11-07,失注,hubspot,contact,3,競合に負け\r\n`;
    const result = parseOutcomesCsv(text);
    expect(result.ok && result.rows.map((r) => [r.leadKey, r.outcome, r.at])).toEqual([
      ['hubspot:contact:1', 'opportunity', Date.UTC(2026, 10, 5)],
      ['hubspot:contact:2', 'won', Date.UTC(2026, 10, 6)],
      ['hubspot:contact:3', 'lost', Date.UTC(2026, 10, 7)],
    ]);
  });

  it('reads an SQL outcome, as a CRM status meaning SQL', () => {
    const result = parseOutcomesCsv('crm,object,record_id,outcome,date\nkintone,12,101,SQL,2026-11-12\n');
    expect(result.ok && result.rows.map((r) => [r.leadKey, r.outcome])).toEqual([['kintone:12:101', 'sql']]);
  });

  it('drops the BOM before a quoted first header', () => {
    const result = parseOutcomesCsv(
      `${BOM}"crm","object","record_id","outcome","date"\r\nhubspot,contact,1,won,2026-11-25\r\n`,
    );
    expect(result).toMatchObject({ ok: true, rows: [{ leadKey: 'hubspot:contact:1' }] });
    expect(readCsv(`${BOM}"a"\r\n`)).toEqual([['a']]);
  });

  it('reads dates as midnight in the zone passed, and times without an offset as wall-clock times there', () => {
    const text = [
      header,
      'hubspot,contact,1,won,2026-11-25',
      'hubspot,contact,2,won,2026-11-25T10:30',
      'hubspot,contact,3,won,2026-11-25T10:30:00Z',
      'hubspot,contact,4,won,2026-11-25T10:30:00.250-05:00',
    ].join('\n');
    const inTokyo = parseOutcomesCsv(text, 'Asia/Tokyo');
    expect(inTokyo.ok && inTokyo.rows.map((r) => r.at)).toEqual([
      Date.parse('2026-11-25T00:00:00+09:00'),
      Date.parse('2026-11-25T10:30:00+09:00'),
      Date.parse('2026-11-25T10:30:00Z'),
      Date.parse('2026-11-25T10:30:00.250-05:00'),
    ]);
    const inUtc = parseOutcomesCsv(text);
    expect(inUtc.ok && inUtc.rows.map((r) => r.at).slice(0, 2)).toEqual([
      Date.parse('2026-11-25T00:00:00Z'),
      Date.parse('2026-11-25T10:30:00Z'),
    ]);
  });

  it('reads quoted fields with commas, line breaks and doubled quotes, and skips blank lines', () => {
    const text = [
      'crm,object,record_id,outcome,date,note',
      '',
      'hubspot,contact,"1",won,2026-11-25,"大型案件, ""至急""',
      '2行目のメモ"',
      ',,,,,',
      'hubspot,contact,2,lost,2026-11-26,',
      '',
    ].join('\r\n');
    const result = parseOutcomesCsv(text);
    expect(result.ok && result.rows.map((r) => r.leadKey)).toEqual([
      'hubspot:contact:1',
      'hubspot:contact:2',
    ]);
    expect(readCsv(text)[2]).toEqual([
      'hubspot',
      'contact',
      '1',
      'won',
      '2026-11-25',
      '大型案件, "至急"\r\n2行目のメモ',
    ]);
  });

  it('reports every bad line by the line number an editor shows, and accepts none', () => {
    const text = [
      header,
      'hubspot,contact,1,won,2026-11-25',
      'hubspt,contact,2,won,2026-11-25',
      'hubspot,contact,"3',
      '4",won,2026-11-25',
      'hubspot,contact,4,maybe,2026-02-30',
      'salesforce,Lead,001000000000001,won,2026-11-25',
      'zoho,Deals,5,won,2026-11-25',
      'hubspot,contact,6,won,25/11/2026',
      'hubspot,contact,7,won',
      'kintone,app,8,won,2026-11-25',
      'dynamics,lead,not-a-guid,won,2026-11-25',
    ].join('\n');
    const result = parseOutcomesCsv(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // Line 4 starts a record whose quoted record id runs over two lines.
    expect(result.problems.map((p) => p.line)).toEqual([3, 4, 6, 6, 7, 8, 9, 10, 11, 12]);
    for (const { message } of result.problems) {
      expect(message.ja).toMatch(/[ぁ-んァ-ヶ一-龠]/);
      expect(message.en).toMatch(/^[A-Z]/);
      expect(message.en).not.toBe(message.ja);
    }
    const en = result.problems.map((p) => p.message.en);
    expect(en[0]).toContain('hubspt');
    expect(en[1]).toMatch(/line break/);
    expect(en[2]).toMatch(/opportunity, won or lost/);
    expect(en[3]).toContain('2026-02-30');
    expect(result.problems[4]?.message.ja).toContain('00Q');
    expect(en[5]).toMatch(/"Deals".*Leads/);
    expect(en[6]).toContain('25/11/2026');
    expect(en[7]).toMatch(/4 fields but the header has 5/);
    expect(en[8]).toMatch(/app id/);
    expect(en[9]).toMatch(/GUID/);
  });

  it('does not mistake names of built-in object properties for columns or outcomes', () => {
    const result = parseOutcomesCsv(`${header},constructor\nhubspot,contact,1,toString,2026-11-25,x\n`);
    expect(result).toMatchObject({ ok: false, problems: [{ line: 2 }] });
  });

  it('reports an unclosed quote at the line where its field starts', () => {
    const text = `${header}\nhubspot,contact,1,won,2026-11-25\nhubspot,contact,"2,won,2026-11-25\nhubspot,contact,3,won,2026-11-25\n`;
    const result = parseOutcomesCsv(text);
    expect(result).toMatchObject({ ok: false, problems: [{ line: 3 }] });
    expect(!result.ok && result.problems[0]?.message.en).toMatch(/quote/);
  });

  it('requires a header with every column, and says which are missing', () => {
    const noHeader = parseOutcomesCsv('hubspot,contact,1,won,2026-11-25\n');
    expect(noHeader).toMatchObject({ ok: false, problems: [{ line: 1 }] });
    const missing = parseOutcomesCsv('\n\ncrm,object,outcome\nhubspot,contact,won\n');
    expect(missing).toMatchObject({ ok: false, problems: [{ line: 3 }] });
    expect(!missing.ok && missing.problems[0]?.message.en).toMatch(/record_id, date/);
    expect(!missing.ok && missing.problems[0]?.message.ja).toMatch(/レコードID・日付/);
  });

  it('refuses a header naming a column twice', () => {
    const result = parseOutcomesCsv('crm,object,record_id,outcome,date,日付\n');
    expect(result).toMatchObject({ ok: false, problems: [{ line: 1 }] });
    expect(!result.ok && result.problems[0]?.message.en).toMatch(/date column twice/);
  });

  it('refuses an empty file and a header without rows', () => {
    expect(parseOutcomesCsv('')).toMatchObject({ ok: false, problems: [{ line: 1 }] });
    expect(parseOutcomesCsv(`${BOM}${header}\r\n`)).toMatchObject({ ok: false, problems: [{ line: 2 }] });
  });

  it(`takes at most ${OUTCOMES_CSV_MAX_ROWS} rows and says so`, () => {
    const row = 'hubspot,contact,1,won,2026-11-25';
    const atLimit = `${header}\n${`${row}\n`.repeat(OUTCOMES_CSV_MAX_ROWS)}`;
    expect(parseOutcomesCsv(atLimit)).toMatchObject({ ok: true });
    const over = `${atLimit}${row}\n`;
    const result = parseOutcomesCsv(over);
    expect(result).toMatchObject({ ok: false, problems: [{ line: OUTCOMES_CSV_MAX_ROWS + 2 }] });
    expect(!result.ok && result.problems[0]?.message.en).toContain('50,000');
    expect(!result.ok && result.problems[0]?.message.ja).toContain('50,000');
  });

  it('reads what toCsv writes, Japanese headers and outcomes included', () => {
    const csv = toCsv(
      ['CRM', 'オブジェクト', 'レコードID', '結果', '日付'],
      [['kintone', '7', '42', '受注', '2026-11-25']],
    );
    expect(parseOutcomesCsv(csv, 'Asia/Tokyo')).toEqual({
      ok: true,
      rows: [
        {
          leadKey: 'kintone:7:42',
          crm: 'kintone',
          outcome: 'won',
          at: Date.parse('2026-11-25T00:00:00+09:00'),
        },
      ],
    });
  });
});
