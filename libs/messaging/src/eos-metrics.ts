import type { Metrics } from '@weaver/observability';

/** The event layer's metrics, named once. */
export class EosMetrics {
  private readonly records;
  private readonly latency;
  private readonly retries;
  private readonly txns;
  private readonly txnLatency;
  private readonly txnRecords;
  private readonly failures;
  private readonly window;

  constructor(metrics: Metrics) {
    this.records = metrics.counter('weaver_eos_records_total', 'Records processed by outcome', ['group', 'outcome']);
    this.latency = metrics.histogram('weaver_eos_process_seconds', 'Handler time per record, retries included', ['group']);
    this.retries = metrics.counter('weaver_eos_retries_total', 'Handler retries', ['group']);
    this.txns = metrics.counter('weaver_eos_transactions_total', 'Committed transactions', ['group']);
    this.txnLatency = metrics.histogram('weaver_eos_transaction_seconds', 'Transaction commit time', ['group']);
    this.txnRecords = metrics.counter('weaver_eos_committed_records_total', 'Input records committed', ['group']);
    this.failures = metrics.counter('weaver_eos_transaction_failures_total', 'Aborted or fenced transactions', ['group']);
    this.window = metrics.gauge('weaver_eos_window_records', 'Records in flight per input partition', ['topic', 'partition']);
  }

  processed(group: string, outcome: 'ok' | 'dead_lettered', seconds: number): void {
    this.records.inc({ group, outcome });
    this.latency.observe({ group }, seconds);
  }
  retried(group: string): void {
    this.retries.inc({ group });
  }
  committed(group: string, records: number, seconds: number): void {
    this.txns.inc({ group });
    this.txnRecords.inc({ group }, records);
    this.txnLatency.observe({ group }, seconds);
  }
  transactionFailed(group: string): void {
    this.failures.inc({ group });
  }
  windowSize(topic: string, partition: number, size: number): void {
    this.window.set({ topic, partition: String(partition) }, size);
  }
}
