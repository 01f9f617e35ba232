export { Metrics } from './metrics.js';
export type { MetricsSources, TornRequestCounts } from './metrics.js';
export type { HttpMetrics } from './http-metrics.js';
