import type { Metadata } from 'next';
import { WALL_POLL_MS } from '@/components/hooks/polling';
import { WallScreen } from '@/components/screens/wall-screen';
import { TEAM_SYNTAX } from '@/lib/health/list-contract';

export const metadata: Metadata = { title: 'Wall' };

/** `/wall?poll=<ms>`: a faster wall for the browser benchmark (bench/browser.ts); never under a second. */
function pollMs(value: string | string[] | undefined): number {
  const ms = typeof value === 'string' ? Number(value) : NaN;
  return Number.isSafeInteger(ms) && ms > 0 ? Math.max(1_000, ms) : WALL_POLL_MS;
}

/** `/wall?team=fx`: that team's wall (docs/HEALTH.md, "Owners"); a malformed team is ignored. */
export default async function WallPage({
  searchParams,
}: {
  searchParams: Promise<{ poll?: string | string[]; team?: string | string[] }>;
}) {
  const { poll, team } = await searchParams;
  return (
    <WallScreen intervalMs={pollMs(poll)} team={typeof team === 'string' && TEAM_SYNTAX.test(team) ? team : null} />
  );
}
