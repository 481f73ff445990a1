import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { RAW_PATH_HEADER } from '@/lib/shared/request-headers';
import { PairDetailScreen } from '@/components/screens/pair-detail-screen';

interface Props {
  params: Promise<{ symbol: string; timeframe: string }>;
}

/**
 * The pair from the path exactly as the browser sent it (proxy.ts passes it on), each segment
 * decoded once: Next.js 16 hands pages their params decoded for some characters and not for
 * others (vercel/next.js#48058), which breaks symbols like "EUR/USD", "BRK B" or "A%20B".
 */
async function pairOf(params: Props['params']): Promise<{ symbol: string; timeframe: string }> {
  const raw = (await headers()).get(RAW_PATH_HEADER)?.match(/^\/pairs\/([^/]+)\/([^/]+)\/?$/);
  if (raw) {
    try {
      return { symbol: decodeURIComponent(raw[1]!), timeframe: decodeURIComponent(raw[2]!) };
    } catch {
      // proxy.ts answers 400 for a path that is not valid %-encoding; fall through regardless
    }
  }
  return params;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { symbol, timeframe } = await pairOf(params);
  return { title: `${symbol} ${timeframe}` };
}

export default async function PairPage({ params }: Props) {
  const { symbol, timeframe } = await pairOf(params);
  // key: moving from one pair to another starts with a clean screen (open rows, pages).
  return <PairDetailScreen key={`${symbol}/${timeframe}`} symbol={symbol} timeframe={timeframe} />;
}
