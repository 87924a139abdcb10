import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { liveClock } from '../extension/clock';
import { crmMatchPatterns } from '../extension/content/crm-hosts';
import { watchLeadPage } from '../extension/content/lead-page';
import { onPagesStale } from '../extension/content/refresh';
import { ask } from '../extension/messaging';
import { langFromTag } from '../lib/lang';

export default defineContentScript({
  matches: crmMatchPatterns,
  runAt: 'document_idle',
  main(ctx) {
    const clock = liveClock();
    ctx.onInvalidated(clock.stop);
    watchLeadPage(
      {
        lang: langFromTag(navigator.language),
        now: clock.now,
        config: (crm) => ask({ type: 'page.config', crm }),
        seen: (snapshot) => ask({ type: 'lead.seen', snapshot }),
        listed: (snapshots) => ask({ type: 'leads.listed', snapshots }),
        actions: {
          contacted: (view) =>
            ask({
              type: 'lead.contacted',
              lead: { crm: view.crm, object: view.object, recordId: view.recordId },
              idempotencyKey: crypto.randomUUID(),
            }),
          feedbackUrl: (view, lang) =>
            browser.runtime.getURL(
              `/feedback.html?${new URLSearchParams({ crm: view.crm, object: view.object, recordId: view.recordId, lang })}` as `/feedback.html${string}`,
            ),
        },
        onStale: onPagesStale,
        known: (url) => ask({ type: 'tab.lead', url }),
        copy: (text) => navigator.clipboard.writeText(text),
        version: browser.runtime.getManifest().version,
        health: (read) => {
          void ask({ type: 'page.read', read }).catch(() => undefined);
        },
      },
      ctx.signal,
    );
  },
});
