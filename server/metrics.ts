/** Prometheus text exposition (format 0.0.4), written by hand: a few counters, gauges and one histogram. */

type Labels = Record<string, string>;

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

const escapeLabel = (v: string) =>
  /[\\"\n]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v;

function renderLabels(labels: Labels): string {
  let out = '';
  for (const key in labels) out += `${out ? ',' : ''}${key}="${escapeLabel(labels[key]!)}"`;
  return out ? `{${out}}` : '';
}

// The same few label sets come back on every request: rendered once each (bounded, as label values are
// routes, methods and statuses, not user input).
const rendered = new Map<string, string>();
function labelText(labels: Labels): string {
  let key = '';
  for (const name in labels) key += `${name}\u0000${labels[name]}\u0000`;
  let text = rendered.get(key);
  if (text === undefined) {
    text = renderLabels(labels);
    if (rendered.size < 10_000) rendered.set(key, text);
  }
  return text;
}

class Counter {
  readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge' = 'counter',
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  /** inc for one fixed label set, its label text made once: for a path answered tens of thousands of times a second. */
  bound(labels: Labels): (by?: number) => void {
    const key = labelText(labels);
    return (by = 1) => {
      this.values.set(key, (this.values.get(key) ?? 0) + by);
    };
  }
  set(labels: Labels, value: number): void {
    this.values.set(labelText(labels), value);
  }
  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} ${this.type}\n`;
    for (const [labels, value] of this.values) out += `${this.name}${labels} ${value}\n`;
    return out;
  }
}

class Histogram {
  private readonly series = new Map<
    string,
    { labels: Labels; counts: number[]; sum: number; count: number }
  >();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  observe(labels: Labels, seconds: number): void {
    this.record(this.seriesOf(labels), seconds);
  }
  /** observe for one fixed label set, its series looked up once (at the first observation, as observe would). */
  bound(labels: Labels): (seconds: number) => void {
    let s: ReturnType<typeof this.seriesOf> | undefined;
    return (seconds) => {
      s ??= this.seriesOf(labels);
      this.record(s, seconds);
    };
  }
  private seriesOf(labels: Labels) {
    const key = labelText(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { labels, counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    return s;
  }
  private record(s: { counts: number[]; sum: number; count: number }, seconds: number): void {
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) s.counts[i]!++;
    s.sum += seconds;
    s.count++;
  }
  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} histogram\n`;
    for (const s of this.series.values()) {
      BUCKETS.forEach((le, i) => {
        out += `${this.name}_bucket${labelText({ ...s.labels, le: String(le) })} ${s.counts[i]}\n`;
      });
      out += `${this.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}\n`;
      out += `${this.name}_sum${labelText(s.labels)} ${s.sum}\n`;
      out += `${this.name}_count${labelText(s.labels)} ${s.count}\n`;
    }
    return out;
  }
}

export class Metrics {
  readonly requests = new Counter(
    'baton_http_requests_total',
    'HTTP requests answered, by route and status.',
  );
  readonly duration = new Histogram('baton_http_request_duration_seconds', 'Time to answer, by route.');
  readonly inFlight = new Counter('baton_http_requests_in_flight', 'Requests being answered now.', 'gauge');
  readonly eventsRecorded = new Counter(
    'baton_events_recorded_total',
    'Events stored for the first time, by type.',
  );
  readonly eventsReplayed = new Counter(
    'baton_events_replayed_total',
    'Events retried with a known idempotency key and answered from the store.',
  );
  readonly idempotencyConflicts = new Counter(
    'baton_idempotency_conflicts_total',
    'Batches refused because a key came back with a different body.',
  );
  readonly rateLimited = new Counter('baton_rate_limited_total', 'Requests answered 429.');
  readonly webhook = new Counter('baton_webhook_deliveries_total', 'Webhook delivery attempts, by outcome.');
  readonly outbox = new Counter('baton_webhook_outbox', 'Escalations in the outbox, by state.', 'gauge');
  readonly intakeHandoffs = new Counter(
    'baton_intake_handoffs_total',
    'Handoffs received by intake for the first time, by source.',
  );
  readonly intakeRefused = new Counter(
    'baton_intake_refused_total',
    'Intake payloads refused (4xx, nothing stored), by source.',
  );
  readonly watchFired = new Counter(
    'baton_watch_fired_total',
    'SLA moments the server watch acted on, by outcome (recorded, contacted, superseded).',
  );
  readonly crmPages = new Counter(
    'baton_crm_pages_total',
    'CRM lead pages browsers recognised, and those they could read nothing on, by CRM and page kind.',
  );
  readonly crmFieldsRead = new Counter(
    'baton_crm_fields_read_total',
    'Fields (records) or rows (lists) read on CRM pages, by CRM, page kind and reading tier.',
  );
  private readonly startedAt = Date.now();

  render(): string {
    const uptime = new Counter(
      'baton_process_uptime_seconds',
      'Seconds since this instance started.',
      'gauge',
    );
    uptime.set({}, (Date.now() - this.startedAt) / 1000);
    const memory = new Counter('baton_process_resident_memory_bytes', 'Resident set size.', 'gauge');
    memory.set({}, process.memoryUsage.rss());
    return [
      this.requests,
      this.duration,
      this.inFlight,
      this.eventsRecorded,
      this.eventsReplayed,
      this.idempotencyConflicts,
      this.rateLimited,
      this.webhook,
      this.outbox,
      this.intakeHandoffs,
      this.intakeRefused,
      this.watchFired,
      this.crmPages,
      this.crmFieldsRead,
      uptime,
      memory,
    ]
      .map((m) => m.render())
      .join('');
  }
}
