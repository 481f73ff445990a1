'use client';

import { CircleCheck } from 'lucide-react';
import { useTurningPage } from '@/components/hooks/use-turning-page';
import type { PairHealth } from '@/lib/shared/types';
import type { IncidentRecord } from '@/lib/shared/history-types';
import { useElementSize } from '@/components/hooks/use-element-size';
import { formatCount } from '@/components/ui/format';
import { WallTile } from './wall-tile';
import { IncidentTile, incidentDetail } from './incident-tile';
import { cn } from '@/components/ui/cn';

export interface TileLayout {
  columns: number;
  rows: number;
  perPage: number;
  tileHeight: number;
  gap: number;
}

/** Tile sizes in vh: the text inside is sized in vh too, so it fits at any 16:9 resolution. */
const MIN_TILE_WIDTH_VH = 40;
const MIN_TILE_HEIGHT_VH = 17.5;
/** …and never less than the lines of a tile at 16 px need (badge, pair, status, two lines of reason). */
const MIN_TILE_HEIGHT_PX = 140;
const MAX_TILE_HEIGHT_VH = 27;
const ROOMY_TILE_HEIGHT_VH = 24;

/**
 * How many tiles fit in the area (columns from the width, rows from the height), and how tall
 * they are: a few problems get taller tiles (up to a limit) instead of a half-empty screen.
 */
export function fitTiles(width: number, height: number, viewportHeight: number, tiles: number): TileLayout {
  const vh = viewportHeight / 100;
  const gap = Math.round(1.2 * vh);
  const columns = Math.max(1, Math.floor((width + gap) / (MIN_TILE_WIDTH_VH * vh + gap)));
  const rows = Math.max(1, Math.floor((height + gap) / (Math.max(MIN_TILE_HEIGHT_VH * vh, MIN_TILE_HEIGHT_PX) + gap)));
  const usedRows = Math.min(rows, Math.max(1, Math.ceil(tiles / columns)));
  const tileHeight = Math.max(
    0,
    Math.floor(Math.min(MAX_TILE_HEIGHT_VH * vh, (height - (usedRows - 1) * gap) / usedRows)),
  );
  return { columns, rows, perPage: columns * rows, tileHeight, gap };
}

/** What the wall shows: the open incidents, then the problem pairs in none of them. */
export type WallItem = { kind: 'incident'; incident: IncidentRecord } | { kind: 'pair'; pair: PairHealth };

/**
 * The wall's tiles, a screenful at a time (incidents first, worst first; then the pairs in no
 * incident, worst first); pages turn by themselves only when they do not all fit.
 */
export function ProblemTiles({
  items,
  problems,
  now,
  allHealthy,
  totalPairs,
  footer,
}: {
  items: readonly WallItem[];
  /** the worst problem pairs, for an incident's example sentence */
  problems: readonly PairHealth[];
  now: number;
  allHealthy: boolean;
  totalPairs: number;
  /** what the tiles stand for, in words (counts) */
  footer: string;
}) {
  const [ref, size] = useElementSize<HTMLDivElement>();
  const layout = size.height > 0 ? fitTiles(size.width, size.height, window.innerHeight, items.length) : null;
  const perPage = layout?.perPage ?? 1;
  const pageCount = Math.max(1, Math.ceil(items.length / perPage));
  const page = useTurningPage(pageCount);

  const shownPage = page % pageCount;
  const visible = items.slice(shownPage * perPage, shownPage * perPage + perPage);
  const byPair = new Map(problems.map((pair) => [`${pair.symbol}/${pair.timeframe}`, pair]));
  const roomy = layout !== null && layout.tileHeight >= ROOMY_TILE_HEIGHT_VH * (window.innerHeight / 100);

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-[1vh]">
      <div ref={ref} className="min-h-0 flex-1 overflow-hidden" data-testid="wall-tiles">
        {allHealthy ? (
          <div
            className="flex h-full flex-col items-center justify-center gap-[2vh] rounded-[1.5vh] bg-green-950/60 text-green-100 ring-1 ring-green-800"
            data-testid="wall-all-ok"
          >
            <CircleCheck aria-hidden className="size-[12vh] text-state-ok" />
            <p className="text-[5vh] font-bold">All {formatCount(totalPairs)} pairs healthy</p>
          </div>
        ) : layout ? (
          <div
            className="grid"
            style={{
              gridTemplateColumns: `repeat(${layout.columns}, minmax(0, 1fr))`,
              gridAutoRows: layout.tileHeight,
              gap: layout.gap,
            }}
          >
            {visible.map((item) =>
              item.kind === 'incident' ? (
                <IncidentTile
                  key={`incident-${item.incident.id}`}
                  incident={item.incident}
                  detail={incidentDetail(item.incident, byPair)}
                  now={now}
                  roomy={roomy}
                />
              ) : (
                <WallTile key={`pair-${item.pair.symbol}/${item.pair.timeframe}`} pair={item.pair} roomy={roomy} />
              ),
            )}
          </div>
        ) : null}
      </div>
      <footer className="flex min-h-[3vh] items-center justify-between gap-[2vh] text-[max(16px,1.9vh)] text-slate-400 tabular">
        <span data-testid="wall-summary">{footer}</span>
        {pageCount > 1 && (
          <span className="flex shrink-0 items-center gap-[1vh]" data-testid="wall-page">
            Page {shownPage + 1} of {pageCount}
            <span aria-hidden className="flex gap-[0.6vh]">
              {Array.from({ length: pageCount }, (_, index) => (
                <span
                  key={index}
                  className={cn('size-[1.2vh] rounded-full', index === shownPage ? 'bg-slate-200' : 'bg-slate-700')}
                />
              ))}
            </span>
          </span>
        )}
      </footer>
    </div>
  );
}
