import { describe, expect, it } from 'vitest';
import type { Browser } from 'wxt/browser';
import { LOADER_DIR, loadContentScriptsAsModules, loaderSource } from './module-content-scripts';

describe('content scripts loaded as modules', () => {
  it('injects a loader in place of each CRM script and lets only that CRM’s pages load the script', () => {
    const manifest = {
      manifest_version: 3,
      name: 'x',
      version: '1',
      content_scripts: [
        { matches: ['https://*.dock.example/*'], js: ['dock.js'], run_at: 'document_start' },
        { matches: ['https://*.hubspot.com/*'], js: ['content-scripts/hubspot.js'], run_at: 'document_idle' },
      ],
      web_accessible_resources: [{ resources: ['feedback.html'], matches: ['https://*.hubspot.com/*'] }],
    } as Browser.runtime.Manifest;
    const loaders = loadContentScriptsAsModules(manifest);
    expect(manifest.content_scripts!.map((entry) => entry.js)).toEqual([
      ['dock.js'],
      [`${LOADER_DIR}/hubspot.js`],
    ]);
    expect(manifest.web_accessible_resources).toEqual([
      { resources: ['feedback.html'], matches: ['https://*.hubspot.com/*'] },
      { resources: ['content-scripts/hubspot.js'], matches: ['https://*.hubspot.com/*'] },
    ]);
    expect(loaders).toEqual([[`${LOADER_DIR}/hubspot.js`, loaderSource('content-scripts/hubspot.js')]]);
  });

  it('imports the script by its extension URL, quoted as data, and reports a failure in the console', () => {
    expect(loaderSource('content-scripts/zoho.js')).toBe(
      `import(chrome.runtime.getURL("/content-scripts/zoho.js")).catch((error) => console.error('Baton could not start on this page', error));\n`,
    );
    // A name is a string literal, never code.
    expect(loaderSource('content-scripts/a").x("b.js')).toContain(
      'getURL("/content-scripts/a\\").x(\\"b.js")',
    );
  });
});
