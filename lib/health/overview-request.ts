import { listSearch, type readListView } from './list-contract';
import type { OverviewView, OverviewWindows } from './overview';
import type { OverviewResponse } from '../shared/types';

/**
 * What the overview asks GET /api/health/overview for, shared by the tab (use-overview-query.ts)
 * and the server's render of the page (lib/server/overview-first-answer.ts): both must name the
 * first answer the same way, or the tab would ask again for what the page already carries.
 */

/**
 * The table asks for windows of TABLE_WINDOW rows starting at a multiple of TABLE_BLOCK: the
 * rows in sight and the virtualiser's overscan (about 40) always fit in one window, and a
 * scroll asks again only when it crosses a block.
 */
export const TABLE_BLOCK = 50;
export const TABLE_WINDOW = 2 * TABLE_BLOCK;
/** The heatmap's symbols, likewise, in blocks of at least this many. */
export const HEATMAP_BLOCK = 50;
/**
 * The heatmap's first window, asked before the grid is measured: what it shows on a 1920-pixel
 * screen (6 symbols a line, 11 lines in sight and 4 above and below: 114), so that screen asks for
 * no other. A wider one asks for its window once measured.
 */
export const HEATMAP_FIRST_WINDOW = 150;

/** What the overview asks for: the view (kept in the URL) and the windows in sight. */
export type OverviewRequest = OverviewView & OverviewWindows;

/** An answer with the view (listSearch of the filters and sort) it was asked for. */
export interface HeldOverview {
  viewKey: string;
  /** the ETag the answer came with; kept in the data, which structural sharing merges poll to poll */
  etag: string | null;
  /**
   * The time of the snapshot that last gave (or, answering 304, confirmed) this answer: its
   * frontier-generated-at. Shown as "Updated N s ago", which is the data's age, not the request's.
   */
  generatedAt: string | null;
  answer: OverviewResponse;
}

/** A page just opened on a view: the table and the heatmap from their first row. */
export function firstOverviewRequest(view: ReturnType<typeof readListView>): OverviewRequest {
  return { ...view, offset: 0, limit: TABLE_WINDOW, hoffset: 0, hlimit: HEATMAP_FIRST_WINDOW };
}

export function overviewPath(request: OverviewRequest): string {
  const params = new URLSearchParams(listSearch(request)); // the view, offset and limit
  params.set('hoffset', String(request.hoffset));
  params.set('hlimit', String(request.hlimit));
  return `/api/health/overview?${params}`;
}

export const overviewQueryKey = (request: OverviewRequest) => ['health', 'overview', request] as const;

/** The view an answer is for (listSearch of the filters and sort, without the windows). */
export function overviewViewKey(request: OverviewRequest): string {
  const { offset: _offset, limit: _limit, hoffset: _hoffset, hlimit: _hlimit, ...view } = request;
  return listSearch(view);
}
