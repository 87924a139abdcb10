import { defineConfig } from 'wxt';
import { crmMatchPatterns } from './extension/content/crm-hosts';

// One source, two stores: `wxt build` (Chrome/Edge MV3) and `wxt build -b firefox --mv3`.
// Auto-imports are off so that every name a reader meets says where it comes from.
export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  imports: false,
  manifestVersion: 3,
  manifest: ({ browser, mode }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // webRequest: only to name why a "test connection" failed (TLS, refused, DNS); it sees requests only
    // to origins the user allowed.
    permissions: ['storage', 'alarms', 'notifications', 'webRequest'],
    // The sync endpoint's origin is asked for at runtime from the options page, never at install.
    optional_host_permissions: ['https://*/*', 'http://127.0.0.1/*', 'http://localhost/*'],
    // Chromium's permission prompt cannot be answered by automation: the e2e build (only) is granted the
    // loopback endpoint the real-browser tests run, so they exercise sync, not the prompt.
    ...(mode === 'e2e' ? { host_permissions: ['http://127.0.0.1/*'] } : {}),
    // The in-page feedback form is an extension page framed in the overlay: the CRM page cannot read it.
    web_accessible_resources: [{ resources: ['feedback.html'], matches: crmMatchPatterns }],
    ...(browser === 'firefox' ? {} : { storage: { managed_schema: 'managed_schema.json' } }),
    action: { default_title: 'Baton' },
    // Firefox needs a stable add-on id for storage and for signing; Chrome rejects the key.
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'baton@baton.example', strict_min_version: '128.0' } } }
      : {}),
  }),
});
