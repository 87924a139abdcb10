/** Small geometry for the hand-drawn SVG charts (no chart library: the console stays small). */

/** The smallest 1, 2 or 5 × 10ⁿ at or above v, so axis ends are round numbers. */
export function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const pow = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * pow >= v) return m * pow;
  return 10 * pow;
}

/** A share axis ending at a round percentage above every value (and the target band), at most 100 %. */
export function shareAxisMax(values: (number | null)[], target: { max: number }): number {
  const top = Math.max(target.max, ...values.map((v) => v ?? 0));
  return Math.min(1, Math.ceil((top * 1.15) / 0.1) * 0.1 || 0.1);
}

/** Linear scale from [d0, d1] onto [r0, r1]. */
export function scale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** An SVG path through the points, broken where a value is missing (a week with no verdicts). */
export function linePath(points: ({ x: number; y: number } | null)[]): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (!p) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`;
    pen = true;
  }
  return d;
}
