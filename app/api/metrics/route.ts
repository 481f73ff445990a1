import { handle } from '@/lib/api/respond';
import { METRICS_CONTENT_TYPE, metricsText } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

/** Prometheus text format; a database outage answers 503 JSON, which Prometheus records as a failed scrape. */
export async function GET(): Promise<Response> {
  return handle('GET /api/metrics', async () => {
    const text = await metricsText();
    return new Response(text, { headers: { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' } });
  });
}
