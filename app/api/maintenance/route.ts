import { authorizeRead, authorizeWrite } from '@/lib/auth/authorize';
import { badRequest } from '@/lib/api/errors';
import { addMaintenance, listMaintenance, parseMaintenanceAdd, readJsonBody } from '@/lib/api/maintenance';
import { handle, json } from '@/lib/api/respond';

export const dynamic = 'force-dynamic';

/** Open maintenance windows (active, then upcoming); ?status=all for every window. */
export async function GET(request: Request): Promise<Response> {
  return handle('GET /api/maintenance', async () => {
    await authorizeRead(request);
    const params = new URL(request.url).searchParams;
    const status = params.get('status') ?? 'open';
    if ([...params.keys()].some((key) => key !== 'status') || (status !== 'open' && status !== 'all'))
      throw badRequest('the only parameter is status=open|all');
    return json(await listMaintenance(status));
  });
}

/** Plans a window (operator): { symbol | pattern, timeframe?, hours | endsAt, startsAt?, reason }. */
export async function POST(request: Request): Promise<Response> {
  return handle('POST /api/maintenance', async () => {
    const identity = await authorizeWrite(request, 'operator');
    const body = parseMaintenanceAdd(await readJsonBody(request));
    return json(await addMaintenance(identity, body), 201);
  });
}
