import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defineConfig } from 'wxt';
import { eagerContentScripts } from './extension/build/compile-hints';
import { loadContentScriptsAsModules } from './extension/build/module-content-scripts';
import { zodWithoutEval } from './extension/build/no-eval';
import { crmMatchPatterns } from './extension/content/crm-hosts';

// One source, two stores: `wxt build` (Chrome/Edge MV3) and `wxt build -b firefox --mv3`.
// Auto-imports are off so that every name a reader meets says where it comes from.
export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  imports: false,
  manifestVersion: 3,
  hooks: {
    'build:manifestGenerated': (wxt, manifest) => {
      // Chromium: each CRM's script is a module its loader imports, compiled off the page's main thread.
      // The bundles are written by now; the loaders the manifest names go beside them.
      const loaders = wxt.config.browser === 'firefox' ? [] : loadContentScriptsAsModules(manifest);
      for (const [file, source] of loaders) {
        const path = join(wxt.config.outDir, file);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, source);
      }
      // The dock's script (entrypoints/dock.ts): first on every CRM host, before any CRM's own content script.
      manifest.content_scripts = [
        { matches: crmMatchPatterns, js: ['dock.js'], run_at: 'document_start' },
        ...(manifest.content_scripts ?? []),
      ];
    },
  },
  // BATON_PROFILE=1 keeps names readable in CPU profiles (tests/bench/profile-page.ts).
  vite: () => ({
    plugins: [zodWithoutEval(), eagerContentScripts()],
    ...(process.env.BATON_PROFILE ? { build: { minify: false } } : {}),
  }),
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
    // Data consent (required of new Firefox add-ons): once a team sets its endpoint, Baton sends it the
    // leads' record ids and score explanations read from CRM pages (website content) and the names of the
    // reps who own and contact them (personally identifying). Nothing goes anywhere else.
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'baton@baton.example',
              // 140 (the current ESR) is the first to show the data consent at install; Android 142.
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['websiteContent', 'personallyIdentifyingInfo'] },
            },
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
