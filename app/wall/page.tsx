import type { Metadata } from 'next';
import { WallScreen } from '@/components/screens/wall-screen';

export const metadata: Metadata = { title: 'Wall' };

export default function WallPage() {
  return <WallScreen />;
}
