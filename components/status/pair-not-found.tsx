'use client';

import Link from 'next/link';
import { useSymbolPairsQuery } from '@/components/hooks/use-symbol-pairs-query';
import { overviewHref, pairHref } from '@/components/ui/pair-href';

/** "No such pair", with the pairs the symbol does have (search ignores case, so does this list). */
export function PairNotFound({ symbol, timeframe, reason }: { symbol: string; timeframe: string; reason: string }) {
  const pairs = useSymbolPairsQuery(symbol, true);
  const same = (pairs.data?.rows ?? [])
    .filter((row) => row.symbol.toLowerCase() === symbol.toLowerCase())
    .sort((a, b) => a.symbol.localeCompare(b.symbol) || a.stepMinutes - b.stepMinutes);
  return (
    <div role="alert" className="space-y-3 rounded-lg border border-slate-300 bg-white p-6 text-slate-700">
      <p className="font-semibold">No such pair.</p>
      <p className="text-sm">{reason}. It may have been removed, or the address has a typo.</p>
      {pairs.isSuccess &&
        (same.length > 0 ? (
          <div className="text-sm" data-testid="valid-timeframes">
            <p>{timeframe} is not one of this symbol&apos;s timeframes. Its pairs:</p>
            <ul className="mt-2 flex flex-wrap gap-2">
              {same.map((row) => (
                <li key={`${row.symbol}/${row.timeframe}`}>
                  <Link
                    href={pairHref(row.symbol, row.timeframe)}
                    className="rounded-md border border-slate-300 px-2 py-1 font-mono text-sky-800 hover:bg-slate-50"
                  >
                    {row.symbol} {row.timeframe}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p className="text-sm" data-testid="valid-timeframes">
            No pair of {symbol} is registered.{' '}
            <Link href={overviewHref({ q: symbol })} className="text-sky-800 underline">
              Search the overview for {symbol}
            </Link>
          </p>
        ))}
    </div>
  );
}
