export { Metrics, NO_SYNC_METRICS } from './metrics.js';
export type { MetricsSources, SyncMetrics } from './metrics.js';
