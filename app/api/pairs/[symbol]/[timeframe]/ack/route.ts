import { acknowledge, parseAckBody } from '@/lib/actions/acks';
import { parseWithdrawBody, withdrawAck } from '@/lib/actions/unack';
import { requestSource } from '@/lib/actions/run';
import { parsePairKey } from '@/lib/api/pair-params';
import { handle, json } from '@/lib/api/respond';
import { authorizeWrite } from '@/lib/auth/authorize';

export const dynamic = 'force-dynamic';

/** Acknowledge a pair in a problem state (operator): `{ note, until? }`; one audit row. */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ symbol: string; timeframe: string }> },
): Promise<Response> {
  return handle('POST /api/pairs/[symbol]/[timeframe]/ack', async () => {
    const pair = parsePairKey(await params);
    const identity = await authorizeWrite(request, 'operator');
    const body = await parseAckBody(request);
    return json(await acknowledge(identity, requestSource(request), { pair }, body));
  });
}

/** Withdraw the pair's current ack (operator): optional `{ reason }`; one audit row; its silence expired. */
export async function DELETE(
  request: Request,
  { params }: { params: Promise<{ symbol: string; timeframe: string }> },
): Promise<Response> {
  return handle('DELETE /api/pairs/[symbol]/[timeframe]/ack', async () => {
    const pair = parsePairKey(await params);
    const identity = await authorizeWrite(request, 'operator');
    const body = await parseWithdrawBody(request);
    return json(await withdrawAck(identity, requestSource(request), { pair }, body));
  });
}
