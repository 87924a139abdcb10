import type { Overlay } from './overlay';

/**
 * One timer per page for every countdown on it, aligned to the next whole second, and none at all
 * while the tab is hidden or no overlay is mounted: a CRM tab left open all day costs nothing.
 */
export function createTicker(now: () => number) {
  const overlays = new Set<Overlay>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = () => {
    clearTimeout(timer);
    timer = undefined;
    if (overlays.size === 0 || document.visibilityState !== 'visible') return;
    timer = setTimeout(tick, 1000 - (now() % 1000) + 5);
  };
  const tick = () => {
    const t = now();
    for (const overlay of overlays) overlay.tick(t);
    schedule();
  };
  const onVisibility = () => (document.visibilityState === 'visible' ? tick() : schedule());
  document.addEventListener('visibilitychange', onVisibility);

  return {
    add(overlay: Overlay) {
      overlays.add(overlay);
      if (timer === undefined) schedule();
    },
    delete(overlay: Overlay) {
      overlays.delete(overlay);
      if (overlays.size === 0) schedule();
    },
    /** Ticks now, e.g. after the clock moved. */
    tick,
    stop() {
      overlays.clear();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
