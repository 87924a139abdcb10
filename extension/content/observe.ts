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

const OURS = new Set(['BATON-LEAD', 'BATON-NOTICE', 'BATON-DOCK']);

/** A batch record that only adds our hosts. A removal still counts: a CRM re-render may drop our host. */
function onlyOurs(record: MutationRecord): boolean {
  if (record.type !== 'childList' || record.removedNodes.length > 0) return false;
  const added = [...record.addedNodes];
  return added.length > 0 && added.every((node) => OURS.has((node as Element).tagName));
}
