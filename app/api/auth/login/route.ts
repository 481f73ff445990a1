import type { NextRequest } from 'next/server';
import { loginResponse } from '@/lib/api/auth';
import { handle } from '@/lib/api/respond';

export const dynamic = 'force-dynamic';

/** AUTH_MODE=oidc: off to the identity provider (authorization code + PKCE); ?next= is where to come back. */
export async function GET(request: NextRequest): Promise<Response> {
  return handle('GET /api/auth/login', () => loginResponse(request));
}
