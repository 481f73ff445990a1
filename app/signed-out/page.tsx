import { AppHeader } from '@/components/ui/app-header';

export const metadata = { title: 'Signed out' };

/** Where signing out lands: open to all, so it does not send the browser straight back to the provider. */
export default function SignedOut() {
  return (
    <>
      <AppHeader />
      <main id="main" tabIndex={-1} className="mx-auto max-w-xl px-6 py-24 text-center">
        <h1 className="text-2xl font-bold text-slate-900">You are signed out</h1>
        <p className="mt-3 text-slate-600">
          Your session on this dashboard has ended. Your identity provider may still remember you.
        </p>
        {/* A plain link: the sign-in is a route handler's redirect, not a page. */}
        <a
          href="/api/auth/login"
          className="mt-6 inline-block rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700"
        >
          Sign in again
        </a>
      </main>
    </>
  );
}
