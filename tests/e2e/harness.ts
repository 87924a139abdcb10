import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';

/**
 * The real-browser harness every e2e test uses: Debian's Chromium with the built extension loaded,
 * fixture pages served at their real CRM URLs by request routing (so the content scripts' real match
 * patterns fire), the extension id, a way to stop the MV3 service worker, and the extension's clock.
 */
export const CHROMIUM = process.env.BATON_CHROMIUM ?? '/usr/bin/chromium';
export const EXTENSION_DIR = resolve(import.meta.dirname, '../../.output/chrome-mv3-e2e');

// The machine has no internet: Chromium's own background traffic is refused, so turn it off.
const QUIET_FLAGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-gpu',
  '--disable-default-apps',
  '--no-default-browser-check',
  '--metrics-recording-only',
];

export interface Served {
  body: string;
  contentType?: string;
  status?: number;
}

export interface Harness {
  context: BrowserContext;
  extensionId: string;
  /** Serves `body` at `url` (exact URL, query included) for every later navigation or fetch. */
  serve(url: string, page: Served | string): void;
  /** Opens a new tab at a served URL and waits for its load event. */
  open(url: string): Promise<Page>;
  /** Opens an extension page such as "popup.html" in a tab. */
  openExtensionPage(path: string): Promise<Page>;
  /** The running service worker, woken if it was stopped (never a handle stopWorker() stopped). */
  worker(): Promise<Worker>;
  /** Stops every service worker, as MV3 does to an idle worker at any moment. */
  stopWorker(): Promise<void>;
  /** Sets the time the extension sees (worker and content scripts), as epoch ms. */
  setClock(epochMs: number): Promise<void>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Browser UI language, e.g. "ja" or "en-US". */
  locale?: string;
  /** Another build to load, e.g. the production one for the demo. */
  extensionDir?: string;
  /** A visible window (needs a display); tests always run headless. */
  headed?: boolean;
}

export async function launch(options: LaunchOptions = {}): Promise<Harness> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run "apt-get update && apt-get install -y chromium"`);
  }
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No build at ${extensionDir}: run "npx wxt build --mode e2e"`);
  }
  const profile = await mkdtemp(join(tmpdir(), 'baton-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: !options.headed,
    locale: options.locale ?? 'en-US',
    viewport: { width: 1280, height: 800 },
    args: [
      ...QUIET_FLAGS,
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      ...(options.locale ? [`--lang=${options.locale}`] : []),
    ],
  });

  const routes = new Map<string, Served>();
  // Every request goes through here: a served URL is answered, anything else aborted, so no test
  // ever reaches (or waits on) the network.
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('chrome-extension://') || url.startsWith('data:')) return route.continue();
    const served = routes.get(url.split('#')[0]!);
    if (served) {
      return route.fulfill({
        status: served.status ?? 200,
        contentType: served.contentType ?? 'text/html; charset=utf-8',
        body: served.body,
      });
    }
    if (isLoopback(url)) return route.continue();
    return route.abort('internetdisconnected');
  });

  const firstWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(firstWorker.url()).host;
  // After stopWorker() Playwright goes on listing the stopped worker's handle; depending on the version
  // the restarted worker reuses it or gets a new one, and a stopped handle never answers. So after a
  // stop, worker() wakes the worker the way a user does and returns the newest handle that answers.
  let stoppedSince = false;
  const ours = () =>
    context.serviceWorkers().filter((w) => w.url().startsWith(`chrome-extension://${extensionId}/`));
  const answers = (w: Worker) =>
    Promise.race([w.evaluate(() => true), sleep(1_000).then(() => false)]).catch(() => false);

  const harness: Harness = {
    context,
    extensionId,
    serve(url, page) {
      // Requests never carry the fragment (kintone keeps the record id there): key by the URL without it.
      routes.set(url.split('#')[0]!, typeof page === 'string' ? { body: page } : page);
    },
    async open(url) {
      const page = await context.newPage();
      await page.goto(url);
      return page;
    },
    async openExtensionPage(path) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path}`);
      return page;
    },
    async worker() {
      const newest = () => ours().at(-1);
      if (!stoppedSince) {
        const live = newest();
        if (live) return live;
      }
      // Opening an extension page that messages the worker wakes it.
      const page = await harness.openExtensionPage('popup.html');
      try {
        const deadline = Date.now() + 10_000;
        for (;;) {
          const w = newest();
          if (w && (await answers(w))) {
            stoppedSince = false;
            return w;
          }
          if (Date.now() > deadline) throw new Error('Timed out waiting for the service worker to start');
          await sleep(100);
        }
      } finally {
        await page.close();
      }
    },
    async stopWorker() {
      const page = context.pages()[0] ?? (await context.newPage());
      const cdp = await context.newCDPSession(page);
      const running = new Map<string, string>();
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        for (const v of versions) {
          if (v.scriptURL.startsWith(`chrome-extension://${extensionId}/`))
            running.set(v.versionId, v.runningStatus);
        }
      });
      try {
        await cdp.send('ServiceWorker.enable');
        // stopAllWorkers only reaches versions the domain has reported; wait for that report first.
        await waitFor(() => running.size > 0, 'the service worker to be reported');
        await cdp.send('ServiceWorker.stopAllWorkers');
        await waitFor(
          () => [...running.values()].every((s) => s === 'stopped'),
          'the service worker to stop',
        );
        stoppedSince = true;
      } finally {
        await cdp.detach();
      }
    },
    async setClock(epochMs) {
      // Written through an extension page rather than the worker, so it works while the worker is stopped.
      const page = await harness.openExtensionPage('popup.html');
      const offset = epochMs - Date.now();
      await page.evaluate((o) => chrome.storage.local.set({ e2eClockOffsetMs: o }), offset);
      await page.close();
    },
    async close() {
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true });
    },
  };
  return harness;
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(50);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

declare const chrome: { storage: { local: { set(items: Record<string, unknown>): Promise<void> } } };
