'use client';

import { LogIn, LogOut, UserRound } from 'lucide-react';
import { useMeQuery } from '@/components/hooks/use-me-query';
import { ApiError } from '@/lib/shared/api-error';

/**
 * Who is signed in, in the page header, with the way out (or in) the auth mode offers: a
 * sign-out button for an OIDC session; a sign-in link when the session is gone. Basic auth and
 * an auth proxy have no sign-out of ours (the browser or the proxy holds the credentials).
 */
export function SessionMenu() {
  const me = useMeQuery();
  if (me.isPending) return null;
  if (me.error) {
    if (!(me.error instanceof ApiError) || me.error.status !== 401) return null;
    return (
      <a
        href="/api/auth/login"
        data-testid="sign-in"
        className="inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm text-slate-700 hover:bg-slate-100"
      >
        <LogIn aria-hidden className="size-4" />
        Sign in
      </a>
    );
  }
  const { actor, role, mode } = me.data;
  if (mode === 'none') return null; // the local demo: nobody to name
  return (
    <div className="flex items-center gap-2 text-sm" data-testid="session">
      <span className="inline-flex items-center gap-1.5 text-slate-700" title={`signed in as ${actor} (${role})`}>
        <UserRound aria-hidden className="size-4 text-slate-500" />
        <span data-testid="session-actor" className="max-w-[16rem] truncate">
          {actor}
        </span>
        <span
          data-testid="session-role"
          className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-600"
        >
          {role}
        </span>
      </span>
      {mode === 'oidc' && (
        <form method="post" action="/api/auth/logout">
          <button
            type="submit"
            className="inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-slate-700 hover:bg-slate-100"
          >
            <LogOut aria-hidden className="size-4" />
            Sign out
          </button>
        </form>
      )}
    </div>
  );
}
