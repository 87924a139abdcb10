import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends, startTestServer, type TestServer } from './test/harness';

const today = new Date().toISOString().slice(0, 10);
const zohoRecord = (pages: number, nothingRead: number) => ({
  day: today,
  crm: 'zoho',
  pageKind: 'record',
  pages,
  nothingRead,
  selector: 0,
  hook: 9 * (pages - nothingRead),
  label: 0,
});

describeBackends('CRM read health', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(backend);
  });
  afterAll(async () => t?.stop());

  it('sums browsers, replaces a repeated report instead of adding it, and shows in /metrics', async () => {
    const laptop = randomUUID();
    const desktop = randomUUID();
    const send = (reporter: string, counts: unknown[]) =>
      t.call('POST', '/v1/read-health', { body: { reporter, counts } });
    expect((await send(laptop, [zohoRecord(2, 1)])).status).toBe(200);
    // The same totals again (a retry after a lost answer), then grown totals: never added twice.
    expect((await send(laptop, [zohoRecord(2, 1)])).status).toBe(200);
    expect((await send(laptop, [zohoRecord(3, 2)])).status).toBe(200);
    expect((await send(desktop, [zohoRecord(1, 1)])).status).toBe(200);

    const read = await t.call('GET', `/v1/read-health?since=${today}`, { role: 'marketer' });
    expect(read.status).toBe(200);
    expect(read.json.counts).toEqual([zohoRecordSum()]);

    const metrics = await t.call('GET', '/metrics', { role: 'admin' });
    expect(metrics.text).toContain(
      'baton_crm_pages_total{crm="zoho",page_kind="record",result="recognised"} 4',
    );
    expect(metrics.text).toContain(
      'baton_crm_pages_total{crm="zoho",page_kind="record",result="nothing_read"} 3',
    );
    expect(metrics.text).toContain(
      'baton_crm_fields_read_total{crm="zoho",page_kind="record",tier="hook"} 9',
    );
  });

  it('refuses a report that is not counts whole, in ja and en, and keeps the counts from reps', async () => {
    const bad = await t.call('POST', '/v1/read-health', {
      body: { reporter: randomUUID(), counts: [{ ...zohoRecord(1, 0), pages: -1, company: 'Acme' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.problems[0].path).toEqual(['counts', 0, 'pages']);
    expect(bad.json.error.problems[0].message.ja).toBeTruthy();
    expect((await t.call('GET', '/v1/read-health', { role: 'rep' })).status).toBe(403);
  });
});

function zohoRecordSum() {
  return {
    day: today,
    crm: 'zoho',
    pageKind: 'record',
    pages: 4,
    nothingRead: 3,
    selector: 0,
    hook: 9,
    label: 0,
  };
}
