import type { NextRequest } from 'next/server';
import { logoutResponse } from '@/lib/api/auth';
import { handle } from '@/lib/api/respond';

export const dynamic = 'force-dynamic';

/** Ends the session (the cookie is cleared), then /signed-out. */
export async function POST(request: NextRequest): Promise<Response> {
  return handle('POST /api/auth/logout', () => logoutResponse(request));
}
