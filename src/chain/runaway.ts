/**
 * Noticing a runaway timer: a callback that re-arms itself into the past makes every pass
 * find a timer already due. The chain runs such a timer in the next pass, never in the same
 * one (the event loop keeps turning), but the process then burns a core: after
 * {@link RUNAWAY_PASSES} passes in a row that end with the head already due, one warning
 * (`ITIMER_RUNAWAY_TIMERS`) says so. O(1) per pass.
 * @module
 */

/** Passes in a row that find waiters already due before a warning about a runaway loop. */
export const RUNAWAY_PASSES = 10_000;

/** Counts passes that end with the head already due. */
export class RunawayWatch {
  #duePasses = 0;
  #warned = false;

  /** Observes the head after a pass that ended at `nowNs`. */
  observe(head: { readonly dueNs: number } | undefined, nowNs: number): void {
    this.#duePasses = head && head.dueNs <= nowNs ? this.#duePasses + 1 : 0;
    if (this.#duePasses < RUNAWAY_PASSES || this.#warned) return;
    this.#warned = true;
    process.emitWarning(`${RUNAWAY_PASSES} timer passes in a row found timers already due: a callback is probably re-arming itself into the past`, {
      code: 'ITIMER_RUNAWAY_TIMERS',
    });
  }
}
