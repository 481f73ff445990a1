import { pairDetail } from '@/lib/api/pair';
import { parsePairDetailQuery, parsePairKey } from '@/lib/api/pair-params';
import { handle, json } from '@/lib/api/respond';

export const dynamic = 'force-dynamic';

/** One pair: its health, ~200 runs oldest first for the charts, and the SQL for its state. */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ symbol: string; timeframe: string }> },
): Promise<Response> {
  return handle('GET /api/pairs/[symbol]/[timeframe]', async () => {
    const key = parsePairKey(await params);
    parsePairDetailQuery(new URL(request.url).searchParams);
    return json(await pairDetail(key));
  });
}
