import type { Metadata } from 'next';
import { IncidentsScreen } from '@/components/screens/incidents-screen';

export const metadata: Metadata = { title: 'Incidents' };

export default function IncidentsPage() {
  return <IncidentsScreen />;
}
