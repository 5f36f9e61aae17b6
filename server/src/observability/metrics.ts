import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EventBus, Topic } from '../events/event-bus.js';

/**
 * Ticket rows the import wrote or refused, counted in the process that imported them (the web upload, the
 * importTickets mutation, the command line). One counter for the process, registered in each app's registry.
 */
export const importRows = new Counter({
  name: 'gatehouse_import_rows_total',
  help: 'Ticket rows imported, by outcome (inserted, updated, unchanged, rejected)',
  labelNames: ['outcome'] as const,
  registers: [],
});

/** Pool figures of the database driver (pg.Pool's counts). */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

export interface MetricSources {
  openSubscriptions: () => number;
  pool: () => PoolStats | null;
  bus: EventBus;
}

/** Client-chosen operation names would otherwise let anyone grow the label set without bound. */
const MAX_OPERATION_LABELS = 200;

export class Metrics {
  readonly registry = new Registry();
  private readonly requestDuration: Histogram<'operation' | 'kind'>;
  private readonly errors: Counter<'code'>;
  private readonly operations = new Set<string>();
  private readonly stopListening: (() => void)[] = [];

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'gatehouse_process_' });
    this.registry.registerMetric(importRows);
    this.requestDuration = new Histogram({
      name: 'gatehouse_request_duration_seconds',
      help: 'HTTP requests and GraphQL operations, by operation (GraphQL operation name, or the HTTP route) and kind',
      labelNames: ['operation', 'kind'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.errors = new Counter({
      name: 'gatehouse_errors_total',
      help: 'Errors answered, by code (GraphQL error codes; HTTP_<status> for other failed requests)',
      labelNames: ['code'] as const,
      registers,
    });
    new Gauge({
      name: 'gatehouse_open_subscriptions',
      help: 'GraphQL subscriptions open on this instance',
      registers,
      collect() {
        this.set(sources.openSubscriptions());
      },
    });
    new Gauge({
      name: 'gatehouse_db_pool_connections',
      help: 'Database pool connections by state (total, idle, waiting clients) and its maximum size',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const pool = sources.pool();
        if (!pool) return;
        this.set({ state: 'total' }, pool.total);
        this.set({ state: 'idle' }, pool.idle);
        this.set({ state: 'waiting' }, pool.waiting);
        this.set({ state: 'max' }, pool.max);
      },
    });
    const lag = new Histogram({
      name: 'gatehouse_event_fanout_lag_seconds',
      help: 'Time from a domain event being published (its timestamp) to its arrival on this instance, by topic',
      labelNames: ['topic'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    const timed: Topic[] = ['measureChanged', 'gateRequestChanged', 'ticketGroupsChanged'];
    for (const topic of timed) {
      this.stopListening.push(
        sources.bus.on(topic, (event) => {
          const at = 'at' in event ? Date.parse(event.at) : NaN;
          if (Number.isFinite(at)) lag.observe({ topic }, Math.max(0, Date.now() - at) / 1000);
        }),
      );
    }
  }

  observeRequest(operation: string, kind: 'graphql' | 'http', seconds: number, errorCodes: readonly string[]): void {
    let label = operation;
    if (!this.operations.has(label)) {
      if (this.operations.size >= MAX_OPERATION_LABELS) label = 'other';
      else this.operations.add(label);
    }
    this.requestDuration.observe({ operation: label, kind }, seconds);
    for (const code of errorCodes) this.errors.inc({ code });
  }

  close(): void {
    for (const stop of this.stopListening) stop();
  }
}

/** The pg.Pool under a TypeORM DataSource (`driver.master`), as figures for the pool gauges. */
export function poolStats(driver: unknown): PoolStats | null {
  const pool = (driver as { master?: { totalCount: number; idleCount: number; waitingCount: number; options?: { max?: number } } }).master;
  if (!pool || typeof pool.totalCount !== 'number') return null;
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options?.max ?? 0 };
}
