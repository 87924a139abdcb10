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
