import { defineContentScript } from 'wxt/utils/define-content-script';
import { crmMatchPatterns } from '../extension/content/crm-hosts';
import { mountMarker, readLead, showSeen } from '../extension/content/slice';
import { ask } from '../extension/messaging';

export default defineContentScript({
  matches: crmMatchPatterns,
  runAt: 'document_idle',
  async main() {
    const snapshot = readLead(new URL(location.href), document);
    if (!snapshot) return;
    const host = mountMarker(snapshot);
    showSeen(host, await ask({ type: 'lead.seen', snapshot }));
  },
});
