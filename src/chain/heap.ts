/**
 * A binary min-heap of timer entries keyed by (wake time, insertion sequence), where the
 * wake time is `dueNs - |spinMarginNs|` — the deadline itself for every entry that
 * does not spin.
 *
 * Each entry records its own index in the heap array, so removing an arbitrary entry is
 * O(log n) without a search. Equal keys come out in insertion order (the sequence number
 * breaks ties: "the newer one goes last", as in Akaros' timer chain).
 *
 * Invariants: `entry.heapIndex < 0` exactly when the entry is not in a heap; otherwise
 * `heap.items[entry.heapIndex] === entry`. For every index i > 0,
 * `before(items[parent(i)], items[i])`. An entry's key does not change while it is in.
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

function before(a: HeapEntry, b: HeapEntry): boolean {
  const wakeA = wakeNs(a);
  const wakeB = wakeNs(b);
  return wakeA < wakeB || (wakeA === wakeB && a.seq < b.seq);
}

/** A min-heap of entries; see the module notes for its invariants. */
export class TimerHeap<E extends HeapEntry> {
  /** The entries, heap-ordered. Read-only for callers. */
  readonly items: E[] = [];
  #nextSeq = 0;

  /** Number of entries. */
  get size(): number {
    return this.items.length;
  }

  /** The entry with the earliest (deadline, seq), if any. */
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
    entry.heapIndex = this.items.length;
    this.items.push(entry);
    this.#up(entry.heapIndex);
  }

  /** Removes and returns the earliest entry. O(log n). */
  pop(): E | undefined {
    const top = this.items[0];
    if (top) this.remove(top);
    return top;
  }

  /** Removes an entry that is in this heap. O(log n). */
  remove(entry: E): void {
    const index = entry.heapIndex;
    const last = this.items.pop()!;
    entry.heapIndex = -1;
    if (last === entry) return;
    this.items[index] = last;
    last.heapIndex = index;
    if (index > 0 && before(last, this.items[(index - 1) >> 1]!)) this.#up(index);
    else this.#down(index);
  }

  /**
   * Checks the invariants (Go's `timers.verify`): every entry's index is its position, every
   * parent comes before its children, and no two entries share a sequence number.
   * @throws Error naming the first invariant that does not hold.
   */
  verify(): void {
    const items = this.items;
    const seen = new Set<number>();
    for (let index = 0; index < items.length; index++) {
      const entry = items[index]!;
      if (entry.heapIndex !== index) throw new Error(`heap: entry at ${index} records index ${entry.heapIndex}`);
      if (!Number.isFinite(wakeNs(entry))) throw new Error(`heap: entry at ${index} has a wake time of ${wakeNs(entry)}`);
      if (seen.has(entry.seq)) throw new Error(`heap: sequence ${entry.seq} appears twice`);
      seen.add(entry.seq);
      if (index > 0 && before(entry, items[(index - 1) >> 1]!)) throw new Error(`heap: entry at ${index} comes before its parent`);
    }
  }

  #up(index: number): void {
    const items = this.items;
    const entry = items[index]!;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = items[parentIndex]!;
      if (!before(entry, parent)) break;
      items[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    items[index] = entry;
    entry.heapIndex = index;
  }

  #down(index: number): void {
    const items = this.items;
    const length = items.length;
    const entry = items[index]!;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= length) break;
      const right = child + 1;
      if (right < length && before(items[right]!, items[child]!)) child = right;
      const smallest = items[child]!;
      if (!before(smallest, entry)) break;
      items[index] = smallest;
      smallest.heapIndex = index;
      index = child;
    }
    items[index] = entry;
    entry.heapIndex = index;
  }
}
