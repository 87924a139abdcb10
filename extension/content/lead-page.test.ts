// @vitest-environment happy-dom
// @vitest-environment-options { "url": "https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000KzWbTEAV/view" }
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { crmAdapters, defaultFieldMappings } from '../../lib/crm/index';
import { type LeadView, NO_SLA } from '../../lib/lead-view';
import type { PageConfig } from '../../lib/messaging';
import { fixtureHtml } from '../../tests/e2e/fixtures';
import { type PageDeps, watchLeadPage } from './lead-page';

const salesforce = crmAdapters.find((a) => a.id === 'salesforce')!;
const config: PageConfig = { mapping: defaultFieldMappings.salesforce, utcOffsetMinutes: 540 };
const view: LeadView = {
  crm: 'salesforce',
  object: 'Lead',
  recordId: '00Q5g00000KzWbTEAV',
  company: 'Acme Robotics K.K.',
  score: 50,
  fit: 50,
  engagement: 0,
  grade: 'B',
  stage: 'mql',
  handoff: null,
  why: [],
  sla: NO_SLA,
  rulesVersion: 'default-1',
};

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

describe('the record page watcher and its page config', () => {
  // One per test: a watcher started with an aborted signal observes nothing, and a test of what a
  // mutation does would pass without any.
  let stop: AbortController;
  beforeEach(() => {
    stop = new AbortController();
  });
  afterEach(() => stop.abort());

  function watch(deps: Partial<PageDeps>) {
    document.body.innerHTML = /<body[^>]*>([\s\S]*)<\/body>/i.exec(
      fixtureHtml({ file: 'salesforce/record-layout-en.html' }),
    )![1]!;
    let stale: () => void = () => {};
    watchLeadPage(
      {
        adapter: salesforce,
        lang: 'en',
        now: () => Date.parse('2026-11-25T10:00:00+09:00'),
        config: async () => config,
        seen: async () => view,
        listed: async () => [],
        onStale: (listener) => {
          stale = listener;
        },
        ...deps,
      },
      stop.signal,
    );
    return { stale: () => stale() };
  }
  const panel = () => document.querySelector('baton-lead[data-kind="panel"]');

  it('asks again after a failed ask (a worker waking up), at the next change of the page', async () => {
    const ask = vi
      .fn<PageDeps['config']>()
      .mockRejectedValueOnce(new Error('Could not establish connection'))
      .mockResolvedValue(config);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    watch({ config: ask });
    await settle();
    expect(panel()).toBeNull();
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
    document.body.append(document.createElement('div'));
    await settle();
    expect(ask).toHaveBeenCalledTimes(2);
    expect(panel()?.getAttribute('data-record-id')).toBe('00Q5g00000KzWbTEAV');
  });

  it('asks the worker again when the rules went stale while it was answering', async () => {
    let answer: (view: LeadView) => void = () => {};
    const seen = vi
      .fn<PageDeps['seen']>()
      .mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)))
      .mockResolvedValue(view);
    const page = watch({ seen });
    await settle();
    expect(seen).toHaveBeenCalledTimes(1);
    // New rules arrive while the worker is still answering under the old ones.
    page.stale();
    answer(view);
    await settle();
    expect(seen).toHaveBeenCalledTimes(2);
  });

  it('keeps the config across changes of the page, and asks again once the worker says pages are stale', async () => {
    const ask = vi.fn<PageDeps['config']>().mockResolvedValue(config);
    const page = watch({ config: ask });
    await settle();
    document.body.append(document.createElement('div'));
    await settle();
    expect(ask).toHaveBeenCalledTimes(1);
    page.stale();
    await settle();
    expect(ask).toHaveBeenCalledTimes(2);
  });
});
