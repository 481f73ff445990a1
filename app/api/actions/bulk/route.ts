import { parseBulkBody, runBulk } from '@/lib/actions/bulk';
import { requestSource } from '@/lib/actions/run';
import { handle, json } from '@/lib/api/respond';
import { authorizeWrite } from '@/lib/auth/authorize';

export const dynamic = 'force-dynamic';

/**
 * One action on a selection of pairs: `{ action, pairs: [{ symbol, timeframe }] (1..500), reason?,
 * dryRun?, from?, to? }`, or `{ action: 'ack', pairs, note, until? }`. Operator at least (who is
 * asking, and from where, before the body is read); admin for bootstrap, reset and repair. Each
 * pair writes its own audit row; the answer lists each pair's outcome.
 */
export async function POST(request: Request): Promise<Response> {
  return handle('POST /api/actions/bulk', async () => {
    const identity = await authorizeWrite(request, 'operator');
    const body = await parseBulkBody(request);
    return json(await runBulk(identity, requestSource(request), body));
  });
}
