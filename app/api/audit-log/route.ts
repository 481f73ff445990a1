import { listAuditLog } from '@/lib/actions/audit-log';
import { parseAuditLogQuery } from '@/lib/actions/params';
import { handle, json } from '@/lib/api/respond';
import { authorizeRead } from '@/lib/auth/authorize';

export const dynamic = 'force-dynamic';

/** The audit log, newest first: ?target=&actor=&action=&since=&before=&limit=. */
export async function GET(request: Request): Promise<Response> {
  return handle('GET /api/audit-log', async () => {
    await authorizeRead(request);
    return json(await listAuditLog(parseAuditLogQuery(new URL(request.url).searchParams)));
  });
}
