import { defineConfig } from 'wxt';

// One source, two stores: `wxt build` (Chrome/Edge MV3) and `wxt build -b firefox --mv3`.
// Auto-imports are off so that every name a reader meets says where it comes from.
export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  imports: false,
  manifestVersion: 3,
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'alarms', 'notifications'],
    action: { default_title: 'Baton' },
    // Firefox needs a stable add-on id for storage and for signing; Chrome rejects the key.
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'baton@baton.example', strict_min_version: '128.0' } } }
      : {}),
  }),
});
