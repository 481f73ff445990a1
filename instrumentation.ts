/** Next.js calls register() once when the server starts (not during next build). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startDashboardHistory } = await import('./lib/history/dashboard');
  // Not awaited: the server must not wait on the database to start serving.
  void startDashboardHistory();
}
