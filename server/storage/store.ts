/**
 * Everything the endpoint keeps, over either backend, one store per concern on the one Database:
 * settings, tokens, events with the lead state and facts folded from them, rule versions with their
 * sign-offs, and the webhook outbox.
 */
import type { Database } from './db';
import { EventStore } from './events';
import { OutboxStore } from './outbox';
import { RuleVersionStore } from './rule-versions';
import { SettingsStore } from './settings';
import { TokenStore } from './tokens';

export class Store {
  readonly settings: SettingsStore;
  readonly tokens: TokenStore;
  readonly events: EventStore;
  readonly ruleVersions: RuleVersionStore;
  readonly outbox: OutboxStore;

  constructor(readonly db: Database) {
    this.settings = new SettingsStore(db);
    this.tokens = new TokenStore(db);
    this.events = new EventStore(db);
    this.ruleVersions = new RuleVersionStore(db);
    this.outbox = new OutboxStore(db);
  }
}
