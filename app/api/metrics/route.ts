import { listIncidents } from '@/lib/api/incidents';
import { handle } from '@/lib/api/respond';
import { METRICS_CONTENT_TYPE, metricsText } from '@/lib/api/metrics';

export const dynamic = 'force-dynamic';

/** Open incidents, from the same cached read as GET /api/incidents. */
async function incidentsOpen(): Promise<number> {
  return (await listIncidents({ status: 'open', limit: 1, offset: 0 })).open;
}

/** Prometheus text format; a database outage answers 503 JSON, which Prometheus records as a failed scrape. */
export async function GET(): Promise<Response> {
  return handle('GET /api/metrics', async () => {
    const text = await metricsText({ incidentsOpen });
    return new Response(text, { headers: { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' } });
  });
}
