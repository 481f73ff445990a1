import type { Metadata } from 'next';
import { IncidentsScreen } from '@/components/screens/incidents-screen';
import { TEAM_SYNTAX } from '@/lib/health/list-contract';

export const metadata: Metadata = { title: 'Incidents' };

/** `/incidents?team=fx`: that team's incidents (docs/HEALTH.md, "Owners"); a malformed team is ignored. */
export default async function IncidentsPage({ searchParams }: { searchParams: Promise<{ team?: string | string[] }> }) {
  const team = (await searchParams).team;
  return <IncidentsScreen team={typeof team === 'string' && TEAM_SYNTAX.test(team) ? team : null} />;
}
