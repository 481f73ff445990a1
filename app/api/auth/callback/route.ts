import type { NextRequest } from 'next/server';
import { callbackResponse } from '@/lib/api/auth';
import { handle } from '@/lib/api/respond';

export const dynamic = 'force-dynamic';

/** AUTH_MODE=oidc: the provider sends the browser back here with a code; the session cookie is set. */
export async function GET(request: NextRequest): Promise<Response> {
  return handle('GET /api/auth/callback', () => callbackResponse(request));
}
