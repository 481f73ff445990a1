import { listHealth } from '@/lib/api/health-list';
import { parseHealthListQuery } from '@/lib/api/health-params';
import { handle, json } from '@/lib/api/respond';

export const dynamic = 'force-dynamic';

/** Every pair with its derived health; filters, sort and paging as query parameters (docs/HEALTH.md). */
export async function GET(request: Request): Promise<Response> {
  return handle('GET /api/health', async () => {
    const query = parseHealthListQuery(new URL(request.url).searchParams);
    return json(await listHealth(query));
  });
}
