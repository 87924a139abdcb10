/**
 * What the HTTP surface is given to work with. Routes reach a service only inside their handlers: the
 * route table is also built without services (server/fuzz/coverage.test.ts).
 */
import type { Authenticator } from './auth';
import type { Config } from './config';
import type { IntakeService } from './intake';
import type { KpiService } from './kpis';
import type { Logger } from './log';
import type { Metrics } from './metrics';
import type { PollLog } from './poll-log';
import type { RateLimiter } from './rate-limit';
import type { RulesService } from './rules';
import type { Store } from './storage/store';
import type { WebhookDelivery } from './webhook';

export interface Services {
  config: Config;
  store: Store;
  rules: RulesService;
  kpis: KpiService;
  auth: Authenticator;
  limiter: RateLimiter;
  /** Failed authentications per client address: a flood of made-up tokens is refused before lookup. */
  authFailures: RateLimiter;
  log: Logger;
  /** Rules polls answered 304: a line a minute rather than one each (poll-log.ts). */
  polls: PollLog;
  metrics: Metrics;
  webhook: WebhookDelivery | undefined;
  openapi: () => unknown;
  clock: () => number;
  intake: IntakeService;
}
