import { incidentStats } from '@/lib/api/incident-stats';
import { parseStatsQuery } from '@/lib/api/incidents-params';
import { handle, json } from '@/lib/api/respond';

export const dynamic = 'force-dynamic';

/** MTTR and time in problem per timeframe and for the worst symbols (IncidentStatsResponse); ?window=24h|7d|30d. */
export async function GET(request: Request): Promise<Response> {
  return handle('GET /api/incidents/stats', async () =>
    json(await incidentStats(parseStatsQuery(new URL(request.url).searchParams))),
  );
}
