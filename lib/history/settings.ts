import type { Env } from '../server/env';

/** The state history writer's settings (lib/server/env.ts names them; docs/HISTORY.md explains them). */
export interface HistorySettings {
  /** 'auto': write when this process's database role can; 'on': must; 'off': never. */
  mode: 'auto' | 'on' | 'off';
  intervalMs: number;
  settleSeconds: number;
  flapWindowSeconds: number;
  flapChanges: number;
  retentionDays: number;
  globalSymbols: number;
  /** prune every this many evaluations (about once a minute at 15 s) */
  pruneEvery: number;
  pruneBatch: number;
}

export function historySettingsFromEnv(config: Env): HistorySettings {
  return {
    mode: config.HISTORY_WRITER,
    intervalMs: config.HISTORY_INTERVAL_MS,
    settleSeconds: config.HISTORY_SETTLE_SECONDS,
    flapWindowSeconds: config.HISTORY_FLAP_WINDOW_SECONDS,
    flapChanges: config.HISTORY_FLAP_CHANGES,
    retentionDays: config.HISTORY_RETENTION_DAYS,
    globalSymbols: config.INCIDENT_GLOBAL_SYMBOLS,
    pruneEvery: Math.max(1, Math.round(60_000 / config.HISTORY_INTERVAL_MS)),
    pruneBatch: 5_000,
  };
}
