import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends, startTestServer, type TestServer } from './test/harness';

/**
 * A team starting with Baton imports its past (the seed's step 1): MQLs, sales' verdicts and deals from
 * the CRM, in one CSV, all or nothing, idempotent; the dashboard counts them from day one.
 */
const HISTORY = [
  'crm,object,record_id,outcome,date',
  'kintone,58,901,MQL,2026-10-05T10:00:00+09:00',
  'kintone,58,901,SQL,2026-10-06',
  'kintone,58,901,商談化,2026-10-20',
  'kintone,58,902,mql,2026-10-07T15:00:00+09:00',
  'kintone,58,902,却下,2026-10-08',
  'kintone,58,903,mql,2026-10-08T09:00:00+09:00',
].join('\r\n');

describeBackends('history import before Baton', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(backend);
  });
  afterAll(() => t.stop());

  const kpis = async () => {
    const res = await t.call('GET', '/v1/kpis?from=2026-10-05&to=2026-10-12', { role: 'manager' });
    expect(res.status, res.text).toBe(200);
    return res.json.totals;
  };
  const post = (csv: string) =>
    t.call('POST', '/v1/outcomes', { role: 'marketer', raw: csv, headers: { 'content-type': 'text/csv' } });

  it('counts the imported MQLs, verdicts and opportunities, once however often the file is imported', async () => {
    const bad = await post(`${HISTORY}\r\nkintone,58,904,marketing,2026-10-09`);
    expect(bad.status).toBe(400);
    expect((await kpis()).mqls).toBe(0);

    const first = await post(HISTORY);
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({ imported: 6, leads: 3, unchanged: 0 });
    // By hand: three MQLs in the week of 5 October; one accepted, one rejected; one opportunity.
    const totals = await kpis();
    expect(totals).toMatchObject({ mqls: 3, withVerdict: 2, acceptedSql: 1, rejected: 1, opportunities: 1 });
    expect(totals.sqlRateOfVerdicts).toBeCloseTo(1 / 2);

    const again = await post(HISTORY);
    expect(again.json).toMatchObject({ imported: 6, unchanged: 6 });
    expect(await kpis()).toEqual(totals);
  });
});
