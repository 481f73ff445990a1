import type { QueryClient } from '@tanstack/react-query';
import { ApiError } from '@/lib/shared/api-error';
import type { PairAction, PairActionBody, PairActionResponse } from '@/lib/shared/actions';
import type { AckBody } from '@/lib/shared/acks';
import { pairPath } from '@/components/hooks/api-fetch';
import { apiErrorSchema } from '@/components/hooks/api-schemas';
import { pairActionResponseSchema } from '@/components/hooks/action-schemas';

/**
 * POST /api/pairs/{symbol}/{timeframe}/actions/{action}. A same-origin fetch: the browser sends
 * Sec-Fetch-Site: same-origin, which the server's cross-site check accepts and records as 'ui'.
 */
export async function postPairAction(
  symbol: string,
  timeframe: string,
  action: PairAction,
  body: PairActionBody,
): Promise<PairActionResponse> {
  const json = await postJson(`${pairPath(symbol, timeframe)}/actions/${action}`, body);
  const parsed = pairActionResponseSchema.safeParse(json.body);
  if (!parsed.success) throw new ApiError(json.status, 'bad_response', `Unexpected answer from ${json.path}`);
  return parsed.data;
}

export type AckTarget = { incidentId: number } | { symbol: string; timeframe: string };

/** POST /api/incidents/{id}/ack or /api/pairs/{symbol}/{timeframe}/ack. */
export async function postAck(target: AckTarget, body: AckBody): Promise<void> {
  await postJson(
    'incidentId' in target
      ? `/api/incidents/${target.incidentId}/ack`
      : `${pairPath(target.symbol, target.timeframe)}/ack`,
    body,
  );
}

/** DELETE on the same path: withdraws the current ack (the server expires its silence). */
export async function deleteAck(target: AckTarget): Promise<void> {
  await postJson(
    'incidentId' in target
      ? `/api/incidents/${target.incidentId}/ack`
      : `${pairPath(target.symbol, target.timeframe)}/ack`,
    {},
    'DELETE',
  );
}

export async function postJson(
  path: string,
  body: unknown,
  method: 'POST' | 'DELETE' = 'POST',
): Promise<{ path: string; status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      cache: 'no-store',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, 'network', 'Cannot reach the dashboard server (network down?)', { cause: error });
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch (error) {
    throw new ApiError(response.status, 'bad_response', `HTTP ${response.status} from ${path} was not JSON`, {
      cause: error,
    });
  }
  if (!response.ok) {
    const parsed = apiErrorSchema.safeParse(json);
    if (parsed.success) throw new ApiError(response.status, parsed.data.error.code, parsed.data.error.message);
    throw new ApiError(response.status, `http_${response.status}`, `HTTP ${response.status} from ${path}`);
  }
  return { path, status: response.status, body: json };
}

/** After an ack starts or ends: the screens that show it (incidents, the pair page) and the audit log refetch. */
export function refetchAfterAck(queryClient: QueryClient): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: ['incidents'] }),
    queryClient.invalidateQueries({ queryKey: ['pair'] }),
    queryClient.invalidateQueries({ queryKey: ['audit-log'] }),
  ]);
}
