import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import type { FeedbackValues } from '../../components/FeedbackForm';
import { Popup } from '../../components/Popup';
import { liveClock } from '../../extension/clock';
import { ask, RequestRefused } from '../../extension/messaging';
import { langFromTag } from '../../lib/i18n';
import type { LeadKey } from '../../lib/lead';

const lang = langFromTag(navigator.language);
document.documentElement.lang = lang;
const clock = liveClock();
const key = (lead: LeadKey) => ({ crm: lead.crm, object: lead.object, recordId: lead.recordId });
// The worker's refusals come in both languages; the form shows the rep's.
const inLang = (error: unknown) => (error instanceof RequestRefused ? new Error(error.reason[lang]) : error);

createRoot(document.getElementById('root')!).render(
  <Popup
    lang={lang}
    consoleUrl={browser.runtime.getURL('/console.html')}
    source={{
      async tabLead() {
        // The CRM hosts are the content script's match patterns, so their tab URLs are readable here.
        const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
        return tab?.url?.startsWith('https://') ? ask({ type: 'tab.lead', url: tab.url }) : null;
      },
      queue: () => ask({ type: 'queue.list' }),
      syncState: () => ask({ type: 'sync.state' }),
      syncNow: () => ask({ type: 'sync.now' }),
      form: (lead) => ask({ type: 'feedback.form', lead: key(lead) }),
      submit: (lead: LeadKey, values: FeedbackValues, idempotencyKey: string) =>
        ask({ type: 'feedback.submit', lead: key(lead), idempotencyKey, ...values }).catch((e: unknown) => {
          throw inLang(e);
        }),
      async contacted(lead, idempotencyKey) {
        await ask({ type: 'lead.contacted', lead: key(lead), idempotencyKey });
      },
      newKey: () => crypto.randomUUID(),
      now: clock.now,
    }}
  />,
);
