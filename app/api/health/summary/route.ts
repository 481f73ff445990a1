import { healthSummaryJson } from '@/lib/api/health-list';
import { parseSummaryQuery } from '@/lib/api/health-params';
import { handle, jsonText, SHARED_ANSWER } from '@/lib/api/respond';

export const dynamic = 'force-dynamic';

/** Counts per state and the worst 50 problems; `?team=fx`: that team's pairs only (the team's wall). */
export async function GET(request: Request): Promise<Response> {
  return handle('GET /api/health/summary', async () => {
    const { team } = parseSummaryQuery(new URL(request.url).searchParams);
    return jsonText(await healthSummaryJson(team), 200, SHARED_ANSWER);
  });
}
