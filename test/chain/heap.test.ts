/**
 * The heap against a sorted-array model, under random operations.
 */
import test from 'ava';
import { TimerHeap } from '../../src/chain/heap.js';

interface Entry {
  dueNs: number;
  seq: number;
  heapIndex: number;
  spinMarginNs: number;
  name: number;
}

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('random pushes, removes and pops match a sorted model; equal deadlines come out FIFO', (t) => {
  const rand = random(42);
  const heap = new TimerHeap<Entry>();
  let model: Entry[] = [];
  let inserted = 0;
  for (let step = 0; step < 20_000; step++) {
    const r = rand();
    if (r < 0.5 || model.length === 0) {
      const entry = { dueNs: Math.floor(rand() * 50), seq: 0, heapIndex: -1, spinMarginNs: 0, name: inserted++ };
      heap.push(entry);
      model.push(entry);
    } else if (r < 0.8) {
      const victim = model[Math.floor(rand() * model.length)]!;
      heap.remove(victim);
      model = model.filter((e) => e !== victim);
      t.is(victim.heapIndex, -1);
    } else {
      model.sort((a, b) => a.dueNs - b.dueNs || a.name - b.name);
      const expected = model.shift()!;
      const popped = heap.pop()!;
      if (popped !== expected) {
        t.fail(`step ${step}: popped ${popped.name}@${popped.dueNs}, expected ${expected.name}@${expected.dueNs}`);
        return;
      }
    }
    if (heap.size !== model.length) {
      t.fail(`step ${step}: size ${heap.size} != ${model.length}`);
      return;
    }
  }
  heap.items.forEach((entry, index) => t.is(entry.heapIndex, index));
  t.pass();
});

test('peek and pop on an empty heap', (t) => {
  const heap = new TimerHeap<Entry>();
  t.is(heap.peek(), undefined);
  t.is(heap.pop(), undefined);
});
