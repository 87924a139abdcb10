/**
 * Delivers escalation steps that reach a manager or marketing to a Slack or Teams incoming webhook.
 * The outbox row is written in the same transaction as the event, so an acknowledged escalation is never
 * lost; instances lease rows before sending, so each is sent by one instance; failures are retried with
 * exponential backoff and given up after a number of attempts (or at once on a 4xx that will not change).
 */
import type { EscalationStepEvent } from '../lib/events';
import { leadKeyString } from '../lib/lead';
import type { Logger } from './log';
import type { Metrics } from './metrics';
import type { OutboxItem, OutboxStore } from './storage/outbox';

export interface WebhookSettings {
  url: string;
  format: 'slack' | 'teams';
  pollMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  timeoutMs: number;
}

const KIND_TEXT: Record<EscalationStepEvent['kind'], { ja: string; en: string }> = {
  reminder: { ja: 'リマインド', en: 'Reminder' },
  owner: { ja: '担当者', en: 'Owner' },
  manager: { ja: 'マネージャー', en: 'Manager' },
  marketing: { ja: 'マーケティング', en: 'Marketing' },
};

/** Slack's three escapes (&, <, >): with them no value can open a mention, a link or a command. */
function slackText(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Teams cards render markdown and some HTML: escape both, so a name shows as typed. */
function teamsText(value: string): string {
  return slackText(value).replace(/[\\`*_[\]()]/g, (c) => `\\${c}`);
}

/** The message body for the webhook: Slack's `{ text }`, or a Teams connector MessageCard. */
export function webhookMessage(
  event: EscalationStepEvent,
  format: 'slack' | 'teams',
): Record<string, unknown> {
  const kind = KIND_TEXT[event.kind];
  // Lead labels and names come from CRM fields strangers can fill in (web forms): as markup they could
  // ping a whole channel ("<!channel>") or show a link that goes elsewhere. Each value is text only.
  const text = format === 'slack' ? slackText : teamsText;
  const lead = text(event.leadLabel ?? leadKeyString(event.lead));
  const title = `[Baton] エスカレーション（${kind.ja}） / Escalation (${kind.en}): ${lead}`;
  const lines = [
    `期限 ${event.dueAt} を過ぎても初回コンタクトがありません。 / No first contact by the due time ${event.dueAt}.`,
    `担当 / Owner: ${text(event.actor.name)} · CRM: ${text(leadKeyString(event.lead))} · step: ${text(event.stepId)}`,
  ];
  // A link stays a link (markdown escapes inside it would break it); only markup is neutralised.
  if (event.url) lines.push(slackText(event.url));
  if (format === 'teams') {
    return {
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      summary: title,
      themeColor: 'D93F0B',
      title,
      text: lines.join('\n\n'),
    };
  }
  return { text: `*${title}*\n${lines.join('\n')}` };
}

export function backoffMs(
  attempts: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
) {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  // ±20% jitter so instances retrying after an outage do not all hit the webhook at once.
  return Math.round(exponential * (0.8 + 0.4 * random()));
}

export class WebhookDelivery {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly outbox: OutboxStore,
    private readonly settings: WebhookSettings,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly clock: () => number = Date.now,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.settings.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Looks for due deliveries now (after new escalations were stored), without overlapping runs. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const leaseMs = this.settings.timeoutMs * 3;
        const items = await this.outbox.claim(this.clock(), 10, leaseMs);
        if (items.length === 0) break;
        await Promise.all(items.map((item) => this.deliver(item)));
        const counts = await this.outbox.counts();
        for (const [state, n] of Object.entries(counts)) this.metrics.outbox.set({ state }, n);
        // A short batch means nothing else is due; failed items wait for their backoff.
        if (this.stopped || items.length < 10) break;
      }
    } catch (error) {
      this.log.error('webhook outbox unavailable', { error: String(error) });
    }
  }

  private async deliver(item: OutboxItem): Promise<void> {
    let outcome: { ok: true } | { ok: false; permanent: boolean; error: string };
    try {
      const event = JSON.parse(item.payload) as EscalationStepEvent;
      const response = await fetch(this.settings.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(webhookMessage(event, this.settings.format)),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) outcome = { ok: true };
      else {
        const retriable = response.status >= 500 || response.status === 408 || response.status === 429;
        outcome = { ok: false, permanent: !retriable, error: `HTTP ${response.status}` };
      }
    } catch (error) {
      outcome = {
        ok: false,
        permanent: false,
        error: error instanceof Error ? error.message : String(error),
      };
    }
    const now = this.clock();
    if (outcome.ok) {
      await this.outbox.markDelivered(item.id, now);
      this.metrics.webhook.inc({ outcome: 'delivered' });
      this.log.info('webhook delivered', { eventKey: item.eventKey, attempts: item.attempts });
    } else if (outcome.permanent || item.attempts >= this.settings.maxAttempts) {
      await this.outbox.markFailed(item.id, now, outcome.error);
      this.metrics.webhook.inc({ outcome: 'failed' });
      this.log.error('webhook delivery given up', {
        eventKey: item.eventKey,
        attempts: item.attempts,
        error: outcome.error,
      });
    } else {
      const wait = backoffMs(item.attempts, this.settings.retryBaseMs, this.settings.retryMaxMs);
      await this.outbox.markRetry(item.id, now + wait, outcome.error);
      this.metrics.webhook.inc({ outcome: 'retry' });
      this.log.warn('webhook delivery failed, will retry', {
        eventKey: item.eventKey,
        attempts: item.attempts,
        retryInMs: wait,
        error: outcome.error,
      });
    }
  }
}
