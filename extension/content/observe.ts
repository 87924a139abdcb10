/**
 * Calls `onAdded` once for every element matching `selector` that is in the document now or appears
 * later, until `signal` aborts. One MutationObserver, no polling: an idle page costs nothing, and late
 * rendering or SPA navigation is seen within the mutation batch that adds the element.
 */
export function observe(
  selector: string,
  onAdded: (element: Element) => void,
  { signal, root = document }: { signal: AbortSignal; root?: ParentNode & Node },
): void {
  if (signal.aborted) return;
  const seen = new WeakSet<Element>();
  const visit = (el: Element) => {
    if (!seen.has(el)) {
      seen.add(el);
      onAdded(el);
    }
  };
  for (const el of root.querySelectorAll(selector)) visit(el);
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        if (node.matches(selector)) visit(node);
        for (const el of node.querySelectorAll(selector)) visit(el);
      }
    }
  });
  observer.observe(root, { childList: true, subtree: true });
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
}

/**
 * Calls `onChange` once after each batch of DOM mutations (text changes included: CRMs reuse the same
 * nodes when moving between records), for work that re-reads a region rather than one element.
 * Changes inside our own shadow roots are not seen: shadow trees are outside the observed subtree.
 */
export function onMutations(
  onChange: () => void,
  { signal, root = document.documentElement }: { signal: AbortSignal; root?: Node },
): void {
  if (signal.aborted) return;
  const observer = new MutationObserver(() => {
    if (!signal.aborted) onChange();
  });
  observer.observe(root, { childList: true, subtree: true, characterData: true });
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
}
