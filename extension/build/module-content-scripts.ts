import type { Browser } from 'wxt/browser';

/**
 * Chromium compiles a content script on the page's main thread, before it runs: on a heavy record page
 * that was 5-6 ms of the page's main thread at every load (ParseProgram and CompileIgnition, about a
 * third of what Baton added, issue 18). A module the script imports is fetched and compiled on a
 * background thread instead (V8's off-thread compile, measured in Chromium 156: 6.3 ms on a worker
 * thread, 0.5 ms left on the main one). So each CRM's script is built as before, made web-accessible on
 * that CRM's hosts only, and injected through a one-line loader that imports it into the content
 * script's isolated world. Not `use_dynamic_url`: Chromium 130 refused a content script's import of
 * such a resource (crbug 363027634), and the feedback form is web-accessible under the extension's id
 * anyway. Firefox keeps the classic scripts: it was not measured there.
 */
export const LOADER_DIR = 'content-loaders';
/** Where WXT writes the content scripts: each becomes a module its loader imports. */
const MODULE_DIR = 'content-scripts/';

/** The loader of one built content script: imports it, and says so in the console if it cannot. */
export function loaderSource(module: string): string {
  return `import(chrome.runtime.getURL(${JSON.stringify(`/${module}`)})).catch((error) => console.error('Baton could not start on this page', error));\n`;
}

type WebAccessible = { resources: string[]; matches: string[] };

/**
 * Rewrites the manifest's CRM content scripts to their loaders and makes each module web-accessible
 * where its loader runs; returns the loaders to write (path in the build, source).
 */
export function loadContentScriptsAsModules(manifest: Browser.runtime.Manifest): [string, string][] {
  const loaders: [string, string][] = [];
  const accessible = (manifest.web_accessible_resources ?? []) as WebAccessible[];
  for (const entry of manifest.content_scripts ?? []) {
    const modules = (entry.js ?? []).filter((file) => file.startsWith(MODULE_DIR));
    if (modules.length === 0) continue;
    entry.js = (entry.js ?? []).map((file) => {
      if (!file.startsWith(MODULE_DIR)) return file;
      const loader = `${LOADER_DIR}/${file.slice(MODULE_DIR.length)}`;
      loaders.push([loader, loaderSource(file)]);
      return loader;
    });
    accessible.push({ resources: modules, matches: [...(entry.matches ?? [])] });
  }
  manifest.web_accessible_resources = accessible as Browser.runtime.Manifest['web_accessible_resources'];
  return loaders;
}
