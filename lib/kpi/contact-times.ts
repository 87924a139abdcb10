/**
 * Time to first contact per group, with nearest-rank median and p90 found by selection over typed arrays:
 * the KPI report keeps one row's groups per slot (totals, week, each breakdown dimension).
 */

/**
 * Time to first contact of contacted rows with the groups each belongs to; afterwards, per group, the
 * nearest-rank median and p90 of business and calendar ms, found by selection in one reused buffer.
 */
export class ContactTimes {
  private length = 0;
  /** groups[slot][i]: the group of contacted row i in that slot; one array per slot keeps passes sequential. */
  private groups: Int32Array[];
  private business: Float64Array;
  private calendar: Float64Array;

  /** slots: how many groups each row belongs to (totals, week, each breakdown dimension). */
  constructor(
    private readonly slots: number,
    capacity: number,
  ) {
    const size = Math.max(1024, capacity);
    this.groups = Array.from({ length: slots }, () => new Int32Array(size));
    this.business = new Float64Array(size);
    this.calendar = new Float64Array(size);
  }

  add(rowGroups: Int32Array, businessMs: number | null, calendarMs: number): void {
    const i = this.length;
    if (i === this.business.length) {
      const capacity = i * 2;
      this.groups = this.groups.map((slot) => grow(slot, capacity));
      this.business = grow(this.business, capacity);
      this.calendar = grow(this.calendar, capacity);
    }
    for (let slot = 0; slot < this.slots; slot++) this.groups[slot]![i] = rowGroups[slot]!;
    // NaN marks a row whose business time is unknown (an old row): it counts in calendar times only.
    this.business[i] = businessMs ?? Number.NaN;
    this.calendar[i] = calendarMs;
    this.length = i + 1;
  }

  /** Per group g: [g*4] business median, +1 business p90, +2 calendar median, +3 calendar p90; NaN: none. */
  percentiles(groupCount: number): Float64Array {
    const out = new Float64Array(groupCount * 4).fill(Number.NaN);
    const scratch = { buffer: new Float64Array(this.length), offsets: new Int32Array(groupCount + 1) };
    for (let slot = 0; slot < this.slots; slot++) {
      const groups = this.groups[slot]!;
      percentilesOfSlot(this.business, groups, this.length, scratch, out, 0);
      percentilesOfSlot(this.calendar, groups, this.length, scratch, out, 2);
    }
    return out;
  }
}

/**
 * The groups of one slot (say, the owners) partition the rows: their values are laid out group by group
 * in the buffer (a counting sort by group), then each group's median and p90 selected in place.
 */
function percentilesOfSlot(
  values: Float64Array,
  groups: Int32Array,
  length: number,
  scratch: { buffer: Float64Array; offsets: Int32Array },
  out: Float64Array,
  column: number,
): void {
  const { buffer, offsets } = scratch;
  const groupCount = offsets.length - 1;
  offsets.fill(0);
  // NaN: a row whose business time is unknown.
  for (let i = 0; i < length; i++) if (!Number.isNaN(values[i])) offsets[groups[i]! + 1]! += 1;
  for (let g = 0; g < groupCount; g++) offsets[g + 1]! += offsets[g]!;
  const cursor = offsets.slice(0, groupCount);
  for (let i = 0; i < length; i++) {
    const value = values[i]!;
    if (!Number.isNaN(value)) buffer[cursor[groups[i]!]!++] = value;
  }
  for (let g = 0; g < groupCount; g++) {
    const lo = offsets[g]!;
    const n = offsets[g + 1]! - lo;
    // Groups of other slots are empty here.
    if (n === 0) continue;
    const median = lo + ((n + 1) >> 1) - 1;
    const p90 = lo + Math.floor((90 * n + 99) / 100) - 1;
    select(buffer, lo, lo + n - 1, median);
    out[g * 4 + column] = buffer[median]!;
    select(buffer, median, lo + n - 1, p90);
    out[g * 4 + column + 1] = buffer[p90]!;
  }
}

function grow<T extends Int32Array | Float64Array>(array: T, capacity: number): T {
  const grown = new (array.constructor as new (n: number) => T)(capacity);
  grown.set(array);
  return grown;
}

/**
 * Hoare's selection: afterwards a[k] is the value a sort would put there, everything in [left, k) is at
 * most it and everything in (k, right] at least it.
 */
function select(a: Float64Array, left: number, right: number, k: number): void {
  let lo = left;
  let hi = right;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // Median of three as the pivot keeps sorted or equal-valued runs from going quadratic.
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}
