import { pairTimeline } from '@/lib/api/incidents';
import { parseTimelineQuery } from '@/lib/api/incidents-params';
import { handle, json } from '@/lib/api/respond';

export const dynamic = 'force-dynamic';

/** A pair's state intervals over ?from=&to= (ISO times; default the last 24 h, at most 92 days). */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ symbol: string; timeframe: string }> },
): Promise<Response> {
  return handle('GET /api/pairs/[symbol]/[timeframe]/timeline', async () =>
    json(await pairTimeline(parseTimelineQuery(await params, new URL(request.url).searchParams))),
  );
}
