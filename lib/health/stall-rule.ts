/**
 * The stall rule, written once. A pair is stalled when its last success is MORE than the
 * threshold ago: strictly greater, as in the documented monitoring query `WHERE minutes_since_success > 60`,
 * so that at exactly 60.0 minutes a pair is neither STALLED nor in the "Stalled aggregation"
 * preset, and at 60.1 it is both (the view rounds minutes to 0.1).
 */
export const SEED_STALL_MINUTES = 60;

export function isStalled(minutesSinceSuccess: number | null, thresholdMinutes: number): boolean {
  return minutesSinceSuccess !== null && minutesSinceSuccess > thresholdMinutes;
}
