import type { SlaState } from '../lib/sla/state';

/**
 * One colour per SLA state for every surface (the in-page overlay, the queue, the popup). Colour only
 * repeats what the words say; each also has its own border style, so states differ without colour too.
 * Each is at least 4.5:1 on white. Missed is not the grey of "no SLA": it is a deadline that was broken.
 */
export const SLA_STYLE: Record<
  SlaState,
  { color: string; border: 'solid' | 'dashed' | 'dotted' | 'double' }
> = {
  none: { color: '#5c6670', border: 'dotted' },
  running: { color: '#1b7f3b', border: 'solid' },
  due_soon: { color: '#a15c00', border: 'solid' },
  overdue: { color: '#b3261e', border: 'double' },
  met: { color: '#0b6e4f', border: 'solid' },
  missed: { color: '#7a1f5c', border: 'dashed' },
};
