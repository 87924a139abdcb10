import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { CrmAdapter } from '../../lib/crm/types';
import { langFromTag } from '../../lib/lang';
import { liveClock } from '../clock';
import { ask } from '../messaging';
import { watchLeadPage } from './lead-page';
import { onPagesStale } from './refresh';

/**
 * One CRM's content script: injected only on that CRM's hosts (its adapter's match patterns) and
 * carrying only that adapter, so a CRM page compiles and runs the code of one CRM, not six
 * (entrypoints/<crm>.content.ts, one line each).
 */
export function crmContentScript(adapter: CrmAdapter) {
  return {
    matches: [...adapter.matchPatterns],
    runAt: 'document_idle' as const,
    // WXT's "script started" notice also goes to the page by window.postMessage unless told not to: on
    // a heavy CRM page that call alone cost about 4 ms of main thread at every load (issue 18), and
    // every message listener the CRM runs would see it. The custom event WXT keeps is enough to stop
    // an older copy of this script after an update.
    noScriptStartedPostMessage: true,
    main(ctx: ContentScriptContext) {
      const clock = liveClock();
      ctx.onInvalidated(clock.stop);
      watchLeadPage(
        {
          adapter,
          lang: langFromTag(navigator.language),
          now: clock.now,
          config: (crm) => ask({ type: 'page.config', crm }),
          seen: (snapshot, read) => ask({ type: 'lead.seen', snapshot, ...(read ? { read } : {}) }),
          listed: (snapshots, read) => ask({ type: 'leads.listed', snapshots, ...(read ? { read } : {}) }),
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
  };
}
