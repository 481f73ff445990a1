import type { Metadata } from 'next';
import { PairDetailScreen } from '@/components/screens/pair-detail-screen';

interface Props {
  params: Promise<{ symbol: string; timeframe: string }>;
}

// Next.js hands the segments over decoded already; decoding again would corrupt a symbol with "%".
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { symbol, timeframe } = await params;
  return { title: `${symbol} ${timeframe}` };
}

export default async function PairPage({ params }: Props) {
  const { symbol, timeframe } = await params;
  // key: moving from one pair to another starts with a clean screen (open rows, pages).
  return <PairDetailScreen key={`${symbol}/${timeframe}`} symbol={symbol} timeframe={timeframe} />;
}
