import { listHealthAnswer } from '@/lib/api/health-list';
import { parseHealthListQuery } from '@/lib/api/health-params';
import { conditionalJsonText, handle } from '@/lib/api/respond';

export const dynamic = 'force-dynamic';

/**
 * Every pair with its derived health (HealthListResponse); filters, sort and paging as query
 * parameters (docs/HEALTH.md). With If-None-Match naming the current ETag: 304, which says that
 * only the clock moved since (lib/health/clock.ts).
 */
export async function GET(request: Request): Promise<Response> {
  return handle('GET /api/health', async () => {
    const query = parseHealthListQuery(new URL(request.url).searchParams);
    return conditionalJsonText(request, await listHealthAnswer(query));
  });
}
