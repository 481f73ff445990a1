import { parseActionBody, parseActionPath } from '@/lib/actions/params';
import { requestSource, runPairAction } from '@/lib/actions/run';
import { handle, json } from '@/lib/api/respond';
import { authorizeWrite } from '@/lib/auth/authorize';
import { PAIR_ACTION_INFO } from '@/lib/shared/actions';

export const dynamic = 'force-dynamic';

/** retry | enable | disable (operator), bootstrap | reset | repair (admin; a dry run unless dryRun: false). */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ symbol: string; timeframe: string; action: string }> },
): Promise<Response> {
  return handle('POST /api/pairs/[symbol]/[timeframe]/actions/[action]', async () => {
    const { key, action } = parseActionPath(await params);
    const identity = await authorizeWrite(request, PAIR_ACTION_INFO[action].role);
    const body = await parseActionBody(request);
    return json(await runPairAction({ identity, source: requestSource(request), key, action, body }));
  });
}
