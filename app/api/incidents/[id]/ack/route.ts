import { acknowledge, parseAckBody, parseIncidentId } from '@/lib/actions/acks';
import { parseWithdrawBody, withdrawAck } from '@/lib/actions/unack';
import { requestSource } from '@/lib/actions/run';
import { handle, json } from '@/lib/api/respond';
import { authorizeWrite } from '@/lib/auth/authorize';

export const dynamic = 'force-dynamic';

/** Acknowledge an open incident (operator): `{ note, until? }`; one audit row. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return handle('POST /api/incidents/[id]/ack', async () => {
    const incidentId = parseIncidentId((await params).id);
    const identity = await authorizeWrite(request, 'operator');
    const body = await parseAckBody(request);
    return json(await acknowledge(identity, requestSource(request), { incidentId }, body));
  });
}

/** Withdraw the incident's current ack (operator): optional `{ reason }`; one audit row; its silence expired. */
export async function DELETE(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return handle('DELETE /api/incidents/[id]/ack', async () => {
    const incidentId = parseIncidentId((await params).id);
    const identity = await authorizeWrite(request, 'operator');
    const body = await parseWithdrawBody(request);
    return json(await withdrawAck(identity, requestSource(request), { incidentId }, body));
  });
}
