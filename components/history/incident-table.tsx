import Link from 'next/link';
import type { IncidentRecord } from '@/lib/shared/history-types';
import { formatUtc } from '@/lib/shared/time-format';
import { pairHref } from '@/components/ui/pair-href';
import { metaOf } from './state-style';
import { formatLasted } from '@/lib/shared/duration';
import { cn } from '@/components/ui/cn';
import { AckForm } from '@/components/actions/ack-form';
import { WithdrawAck } from '@/components/actions/withdraw-ack';
import { AckBadge } from '@/components/status/ack-badge';

/** Incidents as rows: status, state, cause (and an open one's ack), its pairs (links), start, duration. */
export function IncidentTable({ incidents, now }: { incidents: readonly IncidentRecord[]; now: number }) {
  return (
    <table className="w-full text-sm" data-testid="incident-table">
      <thead className="border-b border-slate-200 text-left text-xs tracking-wide text-slate-500 uppercase">
        <tr>
          <th className="px-3 py-2 font-semibold">Status</th>
          <th className="px-3 py-2 font-semibold">Cause</th>
          <th className="px-3 py-2 font-semibold">Pairs</th>
          <th className="px-3 py-2 font-semibold">Started</th>
          <th className="px-3 py-2 font-semibold">Duration</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {incidents.map((incident) => {
          const meta = metaOf(incident.state);
          const open = incident.status === 'open';
          const end = incident.end ? Date.parse(incident.end) : now || Date.parse(incident.start);
          const hidden = incident.pairs - incident.sample.length;
          return (
            <tr
              key={incident.id}
              data-testid="incident-row"
              data-status={incident.status}
              data-state={incident.state}
              className={open ? 'bg-white' : 'bg-slate-50/60'}
            >
              <td className="px-3 py-2 align-top whitespace-nowrap">
                <span
                  className={cn(
                    'rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset',
                    open ? meta.badge : 'bg-white text-slate-600 ring-slate-300',
                  )}
                >
                  {open ? 'Open' : 'Resolved'} · {meta.label}
                </span>
                {incident.scope === 'global' && (
                  <span className="ml-1 text-xs font-semibold text-fuchsia-800">global</span>
                )}
              </td>
              <td className="max-w-[42rem] px-3 py-2 align-top">
                <p className="font-medium text-slate-900" data-testid="incident-cause">
                  {incident.cause}
                </p>
                {open && (
                  <div className="mt-1 flex flex-wrap items-center gap-2">
                    {incident.ack && (
                      <AckBadge
                        ack={incident.ack}
                        withdraw={
                          <WithdrawAck target={{ incidentId: incident.id }} label={`incident ${incident.id}`} />
                        }
                      />
                    )}
                    <AckForm target={{ incidentId: incident.id }} label={`incident ${incident.id}`} />
                  </div>
                )}
              </td>
              <td className="px-3 py-2 align-top">
                <ul className="flex max-w-[36rem] flex-wrap gap-1">
                  {incident.sample.map((pair) => (
                    <li key={`${pair.symbol}/${pair.timeframe}`}>
                      <Link
                        href={pairHref(pair.symbol, pair.timeframe)}
                        className={cn(
                          'rounded px-1.5 py-0.5 font-mono text-xs ring-1 ring-inset hover:underline',
                          pair.open ? 'bg-white text-sky-900 ring-sky-300' : 'text-slate-500 ring-slate-200',
                        )}
                        title={pair.open ? 'still in the incident' : 'recovered'}
                      >
                        {pair.symbol} {pair.timeframe}
                      </Link>
                    </li>
                  ))}
                  {hidden > 0 && <li className="px-1 text-xs text-slate-500">+{hidden} more</li>}
                </ul>
              </td>
              <td className="px-3 py-2 align-top whitespace-nowrap text-slate-700 tabular">
                {formatUtc(incident.start)}
              </td>
              <td className="px-3 py-2 align-top whitespace-nowrap text-slate-700 tabular">
                {formatLasted(end - Date.parse(incident.start))}
                {open ? ' so far' : ''}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
