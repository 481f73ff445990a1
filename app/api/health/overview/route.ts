import { parseOverviewQuery } from '@/lib/api/health-params';
import { overviewAnswer } from '@/lib/api/overview';
import { cachedJsonAnswer, handle } from '@/lib/api/respond';

export const dynamic = 'force-dynamic';

/**
 * The overview's view (OverviewResponse): counts, a window of the filtered and sorted pairs
 * (`offset`, `limit` ≤ 500) and a window of the heatmap's symbols (`hoffset`, `hlimit` ≤ 2,000);
 * the filters and sort of GET /api/health. With If-None-Match naming the current ETag: 304.
 */
export async function GET(request: Request): Promise<Response> {
  return handle('GET /api/health/overview', async () => {
    const query = parseOverviewQuery(new URL(request.url).searchParams);
    // Without If-None-Match the asker has nothing on screen yet: a held snapshot up to one poll
    // interval old answers at once rather than after a rebuild (lib/api/snapshot.ts).
    const firstLook = !request.headers.has('if-none-match');
    return cachedJsonAnswer(request, await overviewAnswer(query, { firstLook }));
  });
}
