import { healthSummaryJson } from '@/lib/api/health-list';
import { rejectUnknownAndRepeated } from '@/lib/api/params';
import { handle, jsonText, SHARED_ANSWER } from '@/lib/api/respond';

export const dynamic = 'force-dynamic';

/** Counts per state and the worst 50 problems. */
export async function GET(request: Request): Promise<Response> {
  return handle('GET /api/health/summary', async () => {
    rejectUnknownAndRepeated(new URL(request.url).searchParams, []);
    return jsonText(await healthSummaryJson(), 200, SHARED_ANSWER);
  });
}
