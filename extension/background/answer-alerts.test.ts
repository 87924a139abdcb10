import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { LeadSnapshot } from '../../lib/lead';
import { db } from '../db';
import { checkAlerts } from './alerts';
import { answer } from './answer';

// Only the check is replaced, to count it: what it plans is alerts.test.ts's subject.
vi.mock('./alerts', async (original) => ({
  ...(await original<typeof import('./alerts')>()),
  checkAlerts: vi.fn(async () => ({ notified: [], summarised: [], recorded: [], wakeAt: null })),
}));

const OWN_ID = 'baton-test-id';
const tabSender = { id: OWN_ID, tab: { id: 7 } as never, url: 'https://acme.lightning.force.com/' };
const lead = (recordId: string): LeadSnapshot => ({
  crm: 'salesforce',
  object: 'Lead',
  recordId,
  fields: { company: 'Acme' },
  activities: [],
});

describe('the alert plan after sightings', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    vi.mocked(checkAlerts).mockClear();
    await Promise.all([db().leads.clear(), db().outbox.clear()]);
  });

  it('is made once for a burst of sightings, a second after the first, not by each', async () => {
    const listed = Array.from({ length: 3 }, (_, i) => lead(`00Q5g00000AbCdEF0${i}`));
    await answer({ type: 'leads.listed', snapshots: listed }, tabSender, OWN_ID, 1000);
    await answer({ type: 'lead.seen', snapshot: listed[0]! }, tabSender, OWN_ID, 1100);
    await answer({ type: 'lead.seen', snapshot: listed[1]! }, tabSender, OWN_ID, 1200);
    // Anything reading the leads sees their writes, held or not (extension/held-write.ts).
    expect(await db().leads.count()).toBe(3);
    expect(checkAlerts).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(checkAlerts).toHaveBeenCalledTimes(1), { timeout: 3000 });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(checkAlerts).toHaveBeenCalledTimes(1);
    // A later sighting gets a check of its own.
    await answer({ type: 'lead.seen', snapshot: listed[2]! }, tabSender, OWN_ID, 5000);
    await vi.waitFor(() => expect(checkAlerts).toHaveBeenCalledTimes(2), { timeout: 3000 });
  });
});
