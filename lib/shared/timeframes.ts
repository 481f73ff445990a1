/**
 * The timeframes sql/001 seeds into agg_timeframes. At run time the database's agg_timeframes is
 * the truth (lib/queries/frontier.ts); this list is only what code may assume before it has
 * asked: the demo's pairs and the overview's filter chips before the first answer.
 */
export const SEEDED_TIMEFRAMES = ['5m', '15m', '30m', '1h', '4h', '1d'] as const;
export type SeededTimeframe = (typeof SEEDED_TIMEFRAMES)[number];
