import { authorizeWrite } from '@/lib/auth/authorize';
import { endMaintenance, parseWindowId } from '@/lib/api/maintenance';
import { handle, json } from '@/lib/api/respond';

export const dynamic = 'force-dynamic';

/** Ends a window now (operator); ?source=ui when the dashboard's button sends it. */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return handle('POST /api/maintenance/[id]/end', async () => {
    const identity = await authorizeWrite(request, 'operator');
    const id = parseWindowId((await context.params).id);
    const source = new URL(request.url).searchParams.get('source') === 'ui' ? 'ui' : 'api';
    return json(await endMaintenance(identity, id, source));
  });
}
