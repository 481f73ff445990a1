import { actionsStatus } from '@/lib/actions/write-pool';
import { rejectUnknownAndRepeated } from '@/lib/api/params';
import { handle, json } from '@/lib/api/respond';
import { identify } from '@/lib/auth/authorize';
import type { ActionsStatusResponse } from '@/lib/shared/actions';

export const dynamic = 'force-dynamic';

/**
 * Can this dashboard run actions (a writable connection with the action functions), and if not
 * why; with the asker's actor and role, so the pair page shows the buttons that role may use.
 */
export async function GET(request: Request): Promise<Response> {
  return handle('GET /api/actions/status', async () => {
    rejectUnknownAndRepeated(new URL(request.url).searchParams, []);
    const identity = await identify(request);
    const body: ActionsStatusResponse = {
      ...(await actionsStatus()),
      actor: identity?.actor ?? null,
      role: identity?.role ?? null,
    };
    return json(body);
  });
}
