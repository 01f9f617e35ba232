export { Metrics } from './metrics.js';
export type { MetricsSources } from './metrics.js';
