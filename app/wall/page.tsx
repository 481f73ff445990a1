import type { Metadata } from 'next';
import { WALL_POLL_MS } from '@/components/hooks/polling';
import { WallScreen } from '@/components/screens/wall-screen';

export const metadata: Metadata = { title: 'Wall' };

/** `/wall?poll=<ms>`: a faster wall for the browser benchmark (bench/browser.ts); never under a second. */
function pollMs(value: string | string[] | undefined): number {
  const ms = typeof value === 'string' ? Number(value) : NaN;
  return Number.isSafeInteger(ms) && ms > 0 ? Math.max(1_000, ms) : WALL_POLL_MS;
}

export default async function WallPage({ searchParams }: { searchParams: Promise<{ poll?: string | string[] }> }) {
  return <WallScreen intervalMs={pollMs((await searchParams).poll)} />;
}
