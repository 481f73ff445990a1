import { listWorkers } from '@/lib/api/workers';
import { handle, json } from '@/lib/api/respond';

export const dynamic = 'force-dynamic';

/** The worker processes with the age of their last heartbeat (WorkersResponse). */
export async function GET(): Promise<Response> {
  return handle('GET /api/workers', async () => json(await listWorkers()));
}
