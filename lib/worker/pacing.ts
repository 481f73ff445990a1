/**
 * A pass spread over part of the interval instead of run in a burst. Unpaced, a pass over
 * 30,000 caught-up pairs holds WORKER_CONCURRENCY connections busy for about 5 s of every 15 —
 * on a two-core host both cores, shared with the database's other clients and the dashboard —
 * then nothing for 10. Paced, the same runs start evenly over WORKER_PASS_SPREAD of the interval:
 * the same work per pass, each pair still visited once per interval, at about half the peak.
 * The throttle is on when runs start, as PostgreSQL's vacuum cost delay is on its I/O; a pass
 * slower than its schedule (a backlog, a busy database) is never held back. Measured with the
 * dashboard beside it in docs/PERFORMANCE.md §9.
 */

/** Small books are not paced: a pass never runs fewer pairs a second than this. */
export const PACED_MIN_PAIRS_PER_SECOND = 1_000;

/**
 * ms between the starts of two consecutive pairs' runs in a paced pass of `pairs` pairs: the
 * pass spread over `spread` (0–1) of `intervalMs`, but no slower than PACED_MIN_PAIRS_PER_SECOND.
 * 0: not paced.
 */
export function pairSpacingMs(pairs: number, intervalMs: number, spread: number): number {
  if (!(spread > 0) || pairs <= 0) return 0;
  return Math.min((spread * intervalMs) / pairs, 1_000 / PACED_MIN_PAIRS_PER_SECOND);
}
