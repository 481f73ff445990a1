import { pairRuns } from '@/lib/api/pair';
import { parsePairKey, parseRunsQuery } from '@/lib/api/pair-params';
import { handle, json } from '@/lib/api/respond';

export const dynamic = 'force-dynamic';

/** A pair's runs, newest first, keyset-paged: ?before=<nextCursor>&limit=1..500. */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ symbol: string; timeframe: string }> },
): Promise<Response> {
  return handle('GET /api/pairs/[symbol]/[timeframe]/runs', async () => {
    const key = parsePairKey(await params);
    const query = parseRunsQuery(new URL(request.url).searchParams);
    return json(await pairRuns(key, query));
  });
}
