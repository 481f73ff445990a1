import { listHealthJson } from '@/lib/api/health-list';
import { parseHealthListQuery } from '@/lib/api/health-params';
import { handle, jsonText } from '@/lib/api/respond';

export const dynamic = 'force-dynamic';

/** Every pair with its derived health (HealthListResponse); filters, sort and paging as query parameters (docs/HEALTH.md). */
export async function GET(request: Request): Promise<Response> {
  return handle('GET /api/health', async () => {
    const query = parseHealthListQuery(new URL(request.url).searchParams);
    return jsonText(await listHealthJson(query));
  });
}
