import type { FrontierRow, HealthPolicy, HealthThresholds } from '../shared/types';

/**
 * Health policies (sql/019, docs/HEALTH.md "Policies"): which thresholds a pair is judged by.
 * The database says which policy applies to a pair (v_aggregation_frontier_health's
 * health_policy); this turns it into the thresholds and the names the sentences quote. Pure.
 */

/** The environment's thresholds (HEALTH_* settings) are the policy called this. */
export const DEFAULT_POLICY = 'default';

/** The thresholds a pair is judged by, and for each the policy it comes from. */
export interface PolicyThresholds extends HealthThresholds {
  from: Record<keyof HealthThresholds, string>;
}

const ALL_DEFAULT: PolicyThresholds['from'] = {
  stallMinutes: DEFAULT_POLICY,
  lagBars: DEFAULT_POLICY,
  sourceStaleMinutes: DEFAULT_POLICY,
  minBarsPerRun: DEFAULT_POLICY,
};

// Resolved once per defaults object and policy object: 30,000 rows share a handful of each
// (the frontier query shares one policy object among the pairs that follow it).
const forDefaults = new WeakMap<HealthThresholds, PolicyThresholds>();
const forPolicy = new WeakMap<HealthPolicy, { defaults: HealthThresholds; resolved: PolicyThresholds }>();

function pick<K extends keyof HealthThresholds>(
  key: K,
  policy: HealthPolicy,
  defaults: HealthThresholds,
  from: PolicyThresholds['from'],
): number {
  const own = policy[key];
  if (own === null) return defaults[key];
  from[key] = policy.name;
  return own;
}

/**
 * A pair's thresholds: its policy's, each threshold the policy leaves NULL taken from the
 * default (the environment). No policy: the defaults, all named "default".
 */
export function thresholdsFor(row: Pick<FrontierRow, 'policy'>, defaults: HealthThresholds): PolicyThresholds {
  const policy = row.policy;
  if (!policy) {
    let resolved = forDefaults.get(defaults);
    if (!resolved) {
      resolved = { ...defaults, from: ALL_DEFAULT };
      forDefaults.set(defaults, resolved);
    }
    return resolved;
  }
  const known = forPolicy.get(policy);
  if (known && known.defaults === defaults) return known.resolved;
  const from = { ...ALL_DEFAULT };
  const resolved: PolicyThresholds = {
    stallMinutes: pick('stallMinutes', policy, defaults, from),
    lagBars: pick('lagBars', policy, defaults, from),
    sourceStaleMinutes: pick('sourceStaleMinutes', policy, defaults, from),
    minBarsPerRun: pick('minBarsPerRun', policy, defaults, from),
    from,
  };
  forPolicy.set(policy, { defaults, resolved });
  return resolved;
}
