import type pg from 'pg';

/**
 * A week of made-up past for the demo's state history, so that the pair timelines, the
 * resolved incidents and MTTR on /incidents are not empty right after `npm start`. Written
 * once, into an empty history only; it ends at `now`, where the history writer (the worker's
 * or the dashboard's) takes over with the live states.
 */
const PAST = [
  // A feed outage on every CLZ6 timeframe two days ago, 45 minutes.
  {
    symbol: 'CLZ6',
    timeframes: 'all',
    state: 'SOURCE_STALE',
    hoursAgo: 50,
    minutes: 45,
    reason: 'source feed silent for 15 min, threshold 15 min, policy default; the aggregator is fine',
  },
  // Yesterday USDJPY failed on three timeframes with one error, 20 minutes.
  {
    symbol: 'USDJPY',
    timeframes: ['5m', '15m', '30m'],
    state: 'FAILING',
    hoursAgo: 26,
    minutes: 20,
    reason: '1 consecutive failed run: canceling statement due to statement timeout',
  },
  // This morning EURUSD 5m flapped between OK and LAGGING for 40 minutes.
  {
    symbol: 'EURUSD',
    timeframes: ['5m'],
    state: 'LAGGING',
    hoursAgo: 5,
    minutes: 40,
    reason: 'flapping: 6 changes in 10.0 min; now 4 bars behind, threshold 3 bars, policy default',
    flapping: true,
  },
] as const;

const DAYS = 7;

export async function seedDemoHistory(pool: pg.Pool, now: Date): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pair_state_intervals');
    if ((rows[0]?.n ?? 0) > 0) {
      await client.query('ROLLBACK');
      return 0;
    }
    const pairs = (
      await client.query<{ symbol: string; timeframe: string }>(
        `SELECT canonical_symbol AS symbol, timeframe FROM data_agg_state WHERE enabled`,
      )
    ).rows;
    const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * 3_600_000);
    let written = 0;
    for (const pair of pairs) {
      const events = PAST.filter(
        (p) =>
          p.symbol === pair.symbol &&
          (p.timeframes === 'all' || (p.timeframes as readonly string[]).includes(pair.timeframe)),
      );
      let cursor = at(DAYS * 24);
      for (const event of events) {
        const start = at(event.hoursAgo);
        const end = new Date(start.getTime() + event.minutes * 60_000);
        await insertInterval(client, pair, 'OK', cursor, start, 'caught up', false);
        await insertInterval(
          client,
          pair,
          event.state,
          start,
          end,
          event.reason,
          'flapping' in event && event.flapping,
        );
        cursor = end;
        written += 2;
      }
      await insertInterval(client, pair, 'OK', cursor, now, 'caught up', false);
      written += 1;
    }
    for (const event of PAST) {
      const members = pairs.filter(
        (p) =>
          p.symbol === event.symbol &&
          (event.timeframes === 'all' || (event.timeframes as readonly string[]).includes(p.timeframe)),
      );
      if (members.length === 0) continue;
      const start = at(event.hoursAgo);
      const end = new Date(start.getTime() + event.minutes * 60_000);
      const incident = await client.query<{ id: string }>(
        `INSERT INTO incidents (cause_key, scope, state, symbol, detail, opened_at, resolved_at, pair_count, symbol_count)
         VALUES ($1, 'symbol', $2, $3, $4, $5, $6, $7, 1) RETURNING incident_id AS id`,
        [
          `demo ${event.symbol} ${event.state}`,
          event.state,
          event.symbol,
          event.state === 'FAILING' ? 'canceling statement due to statement timeout' : '',
          start,
          end,
          members.length,
        ],
      );
      for (const member of members) {
        await client.query(
          `INSERT INTO incident_pairs (incident_id, canonical_symbol, timeframe, joined_at, left_at) VALUES ($1, $2, $3, $4, $5)`,
          [incident.rows[0]!.id, member.symbol, member.timeframe, start, end],
        );
      }
    }
    await client.query('COMMIT');
    return written;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

async function insertInterval(
  client: pg.PoolClient,
  pair: { symbol: string; timeframe: string },
  state: string,
  since: Date,
  until: Date,
  reason: string,
  flapping: boolean,
): Promise<void> {
  if (until <= since) return;
  await client.query(
    `INSERT INTO pair_state_intervals (canonical_symbol, timeframe, state, since, until, reason, flapping) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [pair.symbol, pair.timeframe, state, since, until, reason, flapping],
  );
}
