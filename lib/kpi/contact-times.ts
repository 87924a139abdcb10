/**
 * Time to first contact per group, with nearest-rank median and p90 read off rows in ascending order
 * (whole ms, as recorded times are) or found by selection over typed arrays: the KPI report keeps one
 * row's groups per slot (totals, week, each breakdown dimension).
 */

/**
 * Time to first contact of contacted rows with the groups each belongs to; afterwards, per group, the
 * nearest-rank median and p90 of business and calendar ms.
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
    const seen = new Int32Array(groupCount);
    for (const [values, column] of [
      [this.business, 0],
      [this.calendar, 2],
    ] as const) {
      const order = ascendingRows(values, this.length);
      for (let slot = 0; slot < this.slots; slot++) {
        const groups = this.groups[slot]!;
        if (order) ranksOfSlot(values, order, groups, this.length, seen, out, column);
        else percentilesOfSlot(values, groups, this.length, scratch, out, column);
      }
    }
    return out;
  }
}

/** Digits of the radix sort: three of 12 bits order whole numbers spanning up to 2^36 ms (795 days). */
const DIGIT_BITS = 12;
const DIGITS = 3;
const SPAN = 2 ** (DIGIT_BITS * DIGITS);

/**
 * The rows with a value (not NaN), in ascending order of it; null when the values are not all whole
 * numbers spanning less than SPAN (then selection per group does the work). Ordered once per column by a
 * radix sort of the values less their minimum, where selection worked per slot and group: on the 200,000
 * contacted rows of the KPI benchmark's 12 weeks, min 75-89 ms against 84-92 and median 98-102 against
 * 113-116 (paired runs on a loaded machine; the answer's bits compared equal).
 */
function ascendingRows(values: Float64Array, length: number): Int32Array | null {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let count = 0;
  for (let i = 0; i < length; i++) {
    const value = values[i]!;
    if (Number.isNaN(value)) continue;
    if (!Number.isInteger(value)) return null;
    if (value < min) min = value;
    if (value > max) max = value;
    count++;
  }
  if (count > 0 && max - min >= SPAN) return null;
  // Each row's key, value less the minimum, as its low 32 bits and the rest (each digit a shift and a
  // mask), moved along with the row at each pass so every pass reads its keys in order.
  let order = new Int32Array(count);
  let low = new Uint32Array(count);
  let high = new Uint32Array(count);
  for (let i = 0, k = 0; i < length; i++) {
    const value = values[i]!;
    if (Number.isNaN(value)) continue;
    const key = value - min;
    const h = Math.floor(key / 2 ** 32);
    order[k] = i;
    high[k] = h;
    low[k++] = key - h * 2 ** 32;
  }
  let nextOrder = new Int32Array(count);
  let nextLow = new Uint32Array(count);
  let nextHigh = new Uint32Array(count);
  const buckets = new Int32Array(1 << DIGIT_BITS);
  const mask = (1 << DIGIT_BITS) - 1;
  // Least significant digit first; each pass is stable, so ties keep the order of the one before.
  for (let d = 0; d < DIGITS; d++) {
    const shift = d * DIGIT_BITS;
    const digit = (k: number) =>
      d < 2 ? (low[k]! >>> shift) & mask : ((low[k]! >>> shift) | (high[k]! << (32 - shift))) & mask;
    buckets.fill(0);
    for (let k = 0; k < count; k++) buckets[digit(k)]! += 1;
    for (let b = 0, at = 0; b < buckets.length; b++) {
      const n = buckets[b]!;
      buckets[b] = at;
      at += n;
    }
    for (let k = 0; k < count; k++) {
      const to = buckets[digit(k)]!++;
      nextOrder[to] = order[k]!;
      nextLow[to] = low[k]!;
      nextHigh[to] = high[k]!;
    }
    [order, nextOrder, low, nextLow, high, nextHigh] = [nextOrder, order, nextLow, low, nextHigh, high];
  }
  return order;
}

/**
 * The groups of one slot from rows in ascending order: a group's median and p90 are the values of its
 * rows at those ranks as they come by.
 */
function ranksOfSlot(
  values: Float64Array,
  order: Int32Array,
  groups: Int32Array,
  length: number,
  seen: Int32Array,
  out: Float64Array,
  column: number,
): void {
  seen.fill(0);
  for (let i = 0; i < length; i++) if (!Number.isNaN(values[i])) seen[groups[i]!]! += 1;
  // The ranks wanted per group, 1-based, as percentilesOfSlot takes them.
  const ranks = new Int32Array(seen.length * 2);
  for (let g = 0; g < seen.length; g++) {
    const n = seen[g]!;
    if (n === 0) continue;
    ranks[g * 2] = (n + 1) >> 1;
    ranks[g * 2 + 1] = Math.floor((90 * n + 99) / 100);
  }
  seen.fill(0);
  for (let k = 0; k < order.length; k++) {
    const row = order[k]!;
    const g = groups[row]!;
    const rank = ++seen[g]!;
    if (rank === ranks[g * 2]) out[g * 4 + column] = values[row]!;
    if (rank === ranks[g * 2 + 1]) out[g * 4 + column + 1] = values[row]!;
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
