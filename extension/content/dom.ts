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
 * The record panels' place: docked in the window's lower right corner, out of the CRM page's flow.
 * Placed in the flow, a panel moved everything under it: a layout shift under the rep's pointer, and a
 * relayout and repaint of the whole record page (about 10 ms on a heavy one, issue 15).
 */
export const DOCK_STYLE = `position: fixed; right: 16px; bottom: 16px; z-index: 2147483000; margin: 0;
width: min(400px, calc(100vw - 32px)); max-height: calc(100vh - 32px); overflow: auto;
border-radius: 6px; box-shadow: 0 4px 16px rgb(0 0 0 / 18%);`;

/**
 * Puts a record panel in the dock: a child of <html>, after <body>. The body of a heavy CRM page has
 * thousands of children; appending there made the body lay out again (about 3 ms of main thread per
 * page, issue 18), and a CRM that replaces its body on navigation would take the panel with it.
 */
export function dock(host: HTMLElement): void {
  if (!host.isConnected) document.documentElement.append(host);
}
