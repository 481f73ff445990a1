import { meResponse } from '@/lib/api/auth';
import { handle } from '@/lib/api/respond';

export const dynamic = 'force-dynamic';

/** Who is asking: { actor, role, source, mode } (MeResponse), 401 for nobody. */
export async function GET(request: Request): Promise<Response> {
  return handle('GET /api/auth/me', () => meResponse(request));
}
