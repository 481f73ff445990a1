import { actionsStatus } from '@/lib/actions/write-pool';
import { rejectUnknownAndRepeated } from '@/lib/api/params';
import { handle, json } from '@/lib/api/respond';

export const dynamic = 'force-dynamic';

/** Can this dashboard run actions at all (a writable connection with the action functions), and if not why. */
export async function GET(request: Request): Promise<Response> {
  return handle('GET /api/actions/status', async () => {
    rejectUnknownAndRepeated(new URL(request.url).searchParams, []);
    return json(await actionsStatus());
  });
}
