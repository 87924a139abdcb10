import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractIntake, INTAKE_SOURCES, intakeMappingSchema, valueAt } from './mapping';
import { builtInIntakeMappings } from './sources';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));

describe('valueAt', () => {
  it('walks objects and list indexes, and finds nothing in odd shapes', () => {
    const payload = { a: { b: [{ c: 'x' }] }, n: null };
    expect(valueAt(payload, 'a.b.0.c')).toBe('x');
    expect(valueAt(payload, 'a.b.1.c')).toBeUndefined();
    expect(valueAt(payload, 'n.x')).toBeUndefined();
    expect(valueAt(payload, 'a.b.c')).toBeUndefined();
    expect(valueAt(payload, 'a.__proto__')).toBeUndefined();
  });
});

describe('the built-in mappings', () => {
  it('are valid mappings, one per source', () => {
    for (const source of INTAKE_SOURCES) {
      expect(intakeMappingSchema.safeParse(builtInIntakeMappings[source]).success, source).toBe(true);
    }
  });

  it('read a HubSpot workflow webhook: contact id, epoch-ms MQL date as an instant, owner id', () => {
    const result = extractIntake(builtInIntakeMappings.hubspot, fixture('hubspot'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.eventId).toBe('3251|1795163400000');
    expect(result.value.snapshot).toMatchObject({
      crm: 'hubspot',
      object: 'contact',
      recordId: '3251',
      fields: {
        company: '株式会社サンプル製作所',
        title: '情報システム部 部長',
        employees: '850',
        owner: '81234567',
        mqlAt: '2026-11-20T08:30:00.000Z',
        status: 'New',
      },
    });
  });

  it('read a kintone record webhook: app id as object, user-select owner by name', () => {
    const result = extractIntake(builtInIntakeMappings.kintone, fixture('kintone'));
    expect(result.ok && result.value).toMatchObject({
      eventId: '01853ee2-5c46-4bd7-a4a4-1a8e3b4c7d21',
      snapshot: {
        crm: 'kintone',
        object: '58',
        recordId: '1042',
        fields: { company: '北斗精機株式会社', owner: '田中 太郎', status: '対応中' },
      },
    });
  });

  it('read a Pipedrive v2 lead webhook: the lead UUID in lower case, keyed like the page adapter', () => {
    const result = extractIntake(builtInIntakeMappings.pipedrive, fixture('pipedrive'));
    expect(result.ok && result.value).toMatchObject({
      eventId: 'adf21080-0e10-11eb-879b-05d71fb426ec|2026-11-20T08:30:00Z',
      snapshot: { crm: 'pipedrive', object: 'lead', recordId: 'adf21080-0e10-11eb-879b-05d71fb426ec' },
    });
  });

  it('read a Salesforce Flow callout: the 15-character id in its 18-character form, a numeric field as text', () => {
    const result = extractIntake(builtInIntakeMappings.salesforce, fixture('salesforce'));
    expect(result.ok && result.value.snapshot).toMatchObject({
      crm: 'salesforce',
      object: 'Lead',
      recordId: '00Q5j00000KXyZaEAL',
      fields: { employees: '1200', status: 'Working - Contacted' },
    });
  });
});

describe('extractIntake refusals', () => {
  it('names every missing value with its payload path, in ja and en', () => {
    const payload = fixture('kintone');
    delete payload.id;
    delete payload.record.$id;
    const result = extractIntake(builtInIntakeMappings.kintone, payload);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path)).toEqual([['record', '$id', 'value'], ['id']]);
    expect(result.problems[0]!.message.ja).toContain('レコード ID');
    expect(result.problems[0]!.message.en).toContain('record id');
  });

  it('refuses an object where a value belongs, an unknown CRM and a malformed Salesforce id', () => {
    const mapping = builtInIntakeMappings.csv;
    const row = { event_id: 'e1', crm: 'sugarcrm', object: 'Lead', record_id: '1', company: { x: 1 } };
    const result = extractIntake(mapping, row, [3]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path)).toEqual([
      [3, 'crm'],
      [3, 'company'],
    ]);
    const badId = extractIntake(builtInIntakeMappings.salesforce, {
      eventId: 'e',
      lead: { Id: 'not-an-id' },
    });
    expect(badId.ok).toBe(false);
  });
});

describe('the lead key a payload gives', () => {
  it('is refused past the lead key’s own limits (lib/lead.ts), at the payload path that holds it', () => {
    const payload = fixture('hubspot');
    const mapping = builtInIntakeMappings.hubspot;
    const path = mapping.recordId.split('.');
    let here = payload;
    for (const part of path.slice(0, -1)) here = here[part];
    here[path.at(-1)!] = '9'.repeat(129);
    const result = extractIntake(mapping, payload);
    expect(result).toMatchObject({
      ok: false,
      problems: [{ path, message: { en: 'The value has at most 128 characters' } }],
    });
    here[path.at(-1)!] = '9'.repeat(128);
    expect(extractIntake(mapping, payload).ok).toBe(true);
  });
});
