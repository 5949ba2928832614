/**
 * A 4-ary min-heap of timer entries keyed by (wake time, insertion sequence), where the
 * wake time is `dueNs - |spinMarginNs|` — the deadline itself for every entry that does not
 * spin.
 *
 * Layout, for the cache: the entries are in one array and their wake times, the keys every
 * comparison reads, in a parallel `Float64Array`, so sifting compares contiguous doubles
 * instead of loading an entry object per comparison; a node's four children are adjacent, so
 * one or two cache lines hold the keys a sift-down step compares. Four children instead of two
 * halve the depth (Go's runtime timers are a 4-ary heap too). The sequence number breaks ties
 * ("the newer one goes last", as in Akaros' timer chain) and is read off the entries only when
 * two wake times are equal.
 *
 * Each entry records its own index in the heap array, so removing an arbitrary entry is
 * O(log n) without a search: push O(log₄ n), remove O(log₄ n) (one sift), peek O(1).
 *
 * Invariants: `entry.heapIndex < 0` exactly when the entry is not in a heap; otherwise
 * `heap.items[entry.heapIndex] === entry` and `keys[entry.heapIndex] === wakeNs(entry)`. For
 * every index i > 0, `items[parent(i)]` comes before `items[i]`. An entry's key does not change
 * while it is in (its owner removes it, changes the key, and reinserts it).
 * @module
 */

/** What the heap needs of an entry. */
export interface HeapEntry {
  /**
   * Deadline in integer nanoseconds on the heap's time base. Part of the key: its owner
   * changes it only while the entry is in no heap (owners expose it read-only while armed).
   */
  dueNs: number;
  /** Insertion sequence number, set by the heap on every push. */
  seq: number;
  /** Position in the heap array, or negative when not in a heap. */
  heapIndex: number;
  /** How long before its deadline the entry wakes, in ns, as its absolute value (0: at its deadline). */
  spinMarginNs: number;
}

/** When an entry wakes: its deadline less the magnitude of its spin margin. */
export function wakeNs(entry: HeapEntry): number {
  const margin = entry.spinMarginNs;
  return entry.dueNs - (margin < 0 ? -margin : margin);
}

/** Children per node. */
const ARITY = 4;

/** A min-heap of entries; see the module notes for its layout and invariants. */
export class TimerHeap<E extends HeapEntry> {
  /** The entries, heap-ordered. Read-only for callers. */
  readonly items: E[] = [];
  /** `keys[i]` is the wake time of `items[i]`. */
  #keys = new Float64Array(64);
  #nextSeq = 0;

  /** Number of entries. */
  get size(): number {
    return this.items.length;
  }

  /** The entry with the earliest (wake time, seq), if any. */
  peek(): E | undefined {
    return this.items[0];
  }

  /** Inserts an entry that is not in a heap, after every equal key. O(log n). */
  push(entry: E): void {
    entry.seq = this.#nextSeq++;
    this.reinsert(entry);
  }

  /** Inserts an entry that is not in a heap keeping its sequence number (its place among equal keys). O(log n). */
  reinsert(entry: E): void {
    const index = this.items.length;
    if (index === this.#keys.length) {
      const grown = new Float64Array(index * 2);
      grown.set(this.#keys);
      this.#keys = grown;
    }
    this.items.push(entry);
    this.#up(index, entry, wakeNs(entry));
  }

  /** Removes and returns the earliest entry. O(log n). */
  pop(): E | undefined {
    const top = this.items[0];
    if (top) this.remove(top);
    return top;
  }

  /** Removes an entry that is in this heap. O(log n). */
  remove(entry: E): void {
    const items = this.items;
    const keys = this.#keys;
    const index = entry.heapIndex;
    const lastIndex = items.length - 1;
    const last = items.pop()!;
    entry.heapIndex = -1;
    if (index === lastIndex) return;
    const lastKey = keys[lastIndex]!;
    if (index > 0 && this.#before(lastKey, last, (index - 1) >> 2)) this.#up(index, last, lastKey);
    else this.#down(index, last, lastKey);
  }

  /** Whether an entry with wake time `key` (the entry `entry`) comes before the one at `index`. */
  #before(key: number, entry: E, index: number): boolean {
    const other = this.#keys[index]!;
    return key < other || (key === other && entry.seq < this.items[index]!.seq);
  }

  /** Moves `entry`, with wake time `key`, up from the hole at `index`. */
  #up(index: number, entry: E, key: number): void {
    const items = this.items;
    const keys = this.#keys;
    while (index > 0) {
      const parentIndex = (index - 1) >> 2;
      if (!this.#before(key, entry, parentIndex)) break;
      const parent = items[parentIndex]!;
      items[index] = parent;
      keys[index] = keys[parentIndex]!;
      parent.heapIndex = index;
      index = parentIndex;
    }
    items[index] = entry;
    keys[index] = key;
    entry.heapIndex = index;
  }

  /** Moves `entry`, with wake time `key`, down from the hole at `index`. */
  #down(index: number, entry: E, key: number): void {
    const items = this.items;
    const keys = this.#keys;
    const length = items.length;
    for (;;) {
      const first = index * ARITY + 1;
      if (first >= length) break;
      // The smallest of up to four adjacent children (ties: the lower sequence).
      let child = first;
      let childKey = keys[first]!;
      const end = Math.min(first + ARITY, length);
      for (let c = first + 1; c < end; c++) {
        const k = keys[c]!;
        if (k < childKey || (k === childKey && items[c]!.seq < items[child]!.seq)) {
          child = c;
          childKey = k;
        }
      }
      if (!(childKey < key || (childKey === key && items[child]!.seq < entry.seq))) break;
      const moved = items[child]!;
      items[index] = moved;
      keys[index] = childKey;
      moved.heapIndex = index;
      index = child;
    }
    items[index] = entry;
    keys[index] = key;
    entry.heapIndex = index;
  }

  /**
   * Checks the invariants (Go's `timers.verify`): every entry's index is its position and its
   * stored key its wake time, every parent comes before its children, and no two entries share
   * a sequence number.
   * @throws Error naming the first invariant that does not hold.
   */
  verify(): void {
    const items = this.items;
    const seen = new Set<number>();
    for (let index = 0; index < items.length; index++) {
      const entry = items[index]!;
      const key = wakeNs(entry);
      if (entry.heapIndex !== index) throw new Error(`heap: entry at ${index} records index ${entry.heapIndex}`);
      if (!Number.isFinite(key)) throw new Error(`heap: entry at ${index} has a wake time of ${key}`);
      if (this.#keys[index] !== key) throw new Error(`heap: entry at ${index} has a stored key of ${this.#keys[index]}, not its wake time ${key}`);
      if (seen.has(entry.seq)) throw new Error(`heap: sequence ${entry.seq} appears twice`);
      seen.add(entry.seq);
      if (index > 0 && this.#before(key, entry, (index - 1) >> 2)) throw new Error(`heap: entry at ${index} comes before its parent`);
    }
  }
}
