import { listIncidents } from '@/lib/api/incidents';
import { parseIncidentsQuery } from '@/lib/api/incidents-params';
import { handle, json } from '@/lib/api/respond';

export const dynamic = 'force-dynamic';

/** Open incidents first, then recent ones (IncidentsResponse); ?status=open|resolved|all&limit=1..200&offset=. */
export async function GET(request: Request): Promise<Response> {
  return handle('GET /api/incidents', async () =>
    json(await listIncidents(parseIncidentsQuery(new URL(request.url).searchParams))),
  );
}
