import { checkHealthz } from '@/lib/api/healthz';
import { handle, json } from '@/lib/api/respond';

export const dynamic = 'force-dynamic';

/** Liveness and readiness: 200 when the database answers, 503 (still JSON) when it does not. */
export async function GET(): Promise<Response> {
  return handle('GET /api/healthz', async () => {
    const { status, body } = await checkHealthz();
    return json(body, status);
  });
}
