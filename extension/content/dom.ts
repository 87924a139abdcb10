/**
 * An element for our shadow-root panels, with its class and its text. Text goes in as textContent only:
 * CRM fields are written by strangers (web forms), so page data is never parsed as HTML.
 */
export function el(tag: string, className?: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

/**
 * A docked panel's own box. Its place (the window's lower right corner, out of the CRM page's flow) is
 * the dock's: placed in the flow, a panel moved everything under it, a layout shift under the rep's
 * pointer and a relayout and repaint of the whole record page (about 10 ms on a heavy one, issue 15).
 */
export const DOCKED_PANEL_STYLE = `width: min(400px, calc(100vw - 32px)); max-height: calc(100vh - 32px); overflow: auto;
border-radius: 6px; box-shadow: 0 4px 16px rgb(0 0 0 / 18%);`;

/** Each stylesheet parsed once per page, by its text (200 chips must not parse 200 copies); null: cannot adopt. */
const sheets = new Map<string, CSSStyleSheet | null>();

/**
 * Styles a shadow root with an adopted sheet, parsed once per page: no page CSP applies to it. (Chromium
 * also applies a content script's <style> under `default-src 'none'`, measured; Firefox is reported to
 * apply the page's CSP to inline styles a content script adds: not measured here.) Firefox content
 * scripts cannot always adopt constructed sheets across the isolated world: a <style> element there.
 * Every Baton shadow root is styled here.
 */
export function adoptStyle(shadow: ShadowRoot, css: string): void {
  let sheet = sheets.get(css);
  if (sheet === undefined) {
    try {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
    } catch {
      sheet = null;
    }
    sheets.set(css, sheet);
  }
  if (sheet) {
    try {
      shadow.adoptedStyleSheets = [sheet];
      return;
    } catch {
      sheets.set(css, null);
    }
  }
  const style = document.createElement('style');
  style.textContent = css;
  shadow.append(style);
}

/**
 * The dock: an empty fixed box in the lower right corner, a child of <html> after <body>, made by
 * entrypoints/dock.ts (injected at document_start) when the parser is done. On a page whose first frame
 * comes after DOMContentLoaded (the benchmark's heavy record page), that frame draws it with everything
 * else; a page that paints while it parses draws the empty dock in a frame of its own, as small as the
 * dock. A panel put in it later changes only the dock's own paint layer; a fixed panel put straight
 * under <html> was a new layer of the page's root, and the frame that drew it repainted and re-layered
 * the whole heavy page (about 2 ms of its main thread, issue 18). Empty, it has no size and takes no
 * pointer events: the CRM page under it stays clickable.
 */
const DOCK_TAG = 'baton-dock';
// In the dock's own shadow root, adopted (adoptStyle): a strict page CSP would block a style attribute.
const DOCK_BOX =
  ':host { all: initial; position: fixed; right: 16px; bottom: 16px; z-index: 2147483000; display: block; pointer-events: none; }';

/**
 * The first child element of `parent` with the tag `name`. Not `querySelector(':scope > name')`: Chromium
 * matches that against every element under <html>, 0.24 ms on the benchmark's heavy record page (10,745
 * elements) at each look-up, and a page load makes at least three; <html> has two or three children.
 */
function childNamed(parent: Element, name: string): HTMLElement | null {
  for (const child of parent.children) if (child.localName === name) return child as HTMLElement;
  return null;
}

export function prepareDock(): HTMLElement | null {
  const root = document.documentElement;
  // An XML or SVG document served from a CRM host has no HTML root to dock in, and shows no lead.
  if (!(root instanceof HTMLHtmlElement)) return null;
  let box = childNamed(root, DOCK_TAG);
  if (!box) {
    box = document.createElement(DOCK_TAG);
    const shadow = box.attachShadow({ mode: 'open' });
    adoptStyle(shadow, DOCK_BOX);
    // The panels stay children of the dock in the document; the slot draws them inside its box.
    shadow.append(document.createElement('slot'));
    root.append(box);
  }
  return box;
}

/** The dock, made once the parser has put <body> in place (entrypoints/dock.ts, at document_start). */
export function prepareDockWhenParsed(): void {
  if (document.readyState === 'loading')
    document.addEventListener('DOMContentLoaded', () => prepareDock(), { once: true });
  else prepareDock();
}

/**
 * Puts a record panel in the dock. The body of a heavy CRM page has thousands of children; appending
 * there made the body lay out again (about 3 ms of main thread per page, issue 18), and a CRM that
 * replaces its body on navigation would take the panel with it.
 */
export function dock(host: HTMLElement): void {
  if (host.isConnected) return;
  prepareDock()?.append(host);
}

/**
 * Panels an older copy of this script left in the dock: after an update Firefox injects the new copy
 * into open tabs while the old one's panel stays, its buttons dead. Called before this copy docks anything.
 */
export function clearStaleDock(): void {
  const box = prepareDock();
  if (!box) return;
  for (const stale of [...box.children]) if (stale.localName === 'baton-lead') stale.remove();
}
