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
  const observer = new MutationObserver((records) => {
    // Placing our own overlay hosts changes nothing a reading depends on: on a heavy page a
    // second full read after every panel placement is wasted main-thread time.
    if (!signal.aborted && !records.every(onlyOurs)) onChange();
  });
  observer.observe(root, { childList: true, subtree: true, characterData: true });
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
}

const OURS = new Set(['BATON-LEAD', 'BATON-NOTICE']);

/** A batch record that only adds our hosts. A removal still counts: a CRM re-render may drop our host. */
function onlyOurs(record: MutationRecord): boolean {
  if (record.type !== 'childList' || record.removedNodes.length > 0) return false;
  const added = [...record.addedNodes];
  return added.length > 0 && added.every((node) => OURS.has((node as Element).tagName));
}
