/**
 * Bearer tokens: shown once when created, stored only as a SHA-256 hash (a random 256-bit secret needs no
 * slow hash), looked up by that hash. Roles decide what a token may do.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../lib/roles';
import type { Principal } from './principal';
import type { Store } from './storage/store';
import type { TokenRecord, TokenStore } from './storage/tokens';

const TOKEN_PATTERN = /^baton_[a-z0-9]{1,32}_[A-Za-z0-9_-]{43}$/;

/**
 * The password of HTTP Basic auth, taken as the token: some automations can send only Basic (Pipedrive
 * webhooks' "HTTP Auth" user and password), so an intake token is accepted as the password too.
 */
function basicPassword(authorization: string): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newTokenId(): string {
  return randomBytes(6).toString('hex');
}

/** "baton_<id>_<secret>": the id lets an operator find the token in `token list` without its secret. */
export function tokenString(id: string, secret: Buffer = randomBytes(32)): string {
  return `baton_${id}_${secret.toString('base64url')}`;
}

export async function createToken(
  store: Store,
  input: { name: string; role: Role; now: number; id?: string; secret?: Buffer },
): Promise<{ record: TokenRecord; token: string; created: boolean }> {
  const id = input.id ?? newTokenId();
  const token = tokenString(id, input.secret);
  const record: TokenRecord = {
    id,
    name: input.name,
    role: input.role,
    createdAt: input.now,
    revokedAt: null,
  };
  const created = await store.tokens.insert({ ...record, secretHash: hashToken(token) });
  return { record, token, created };
}

/**
 * Checks bearer tokens, remembering answers for `cacheMs` so polling browsers do not cost a database
 * round trip each; a revocation takes effect within that time on every instance.
 */
export class Authenticator {
  // Keyed by the token itself: this memory sees every token in requests anyway, and a hit skips hashing.
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();

  constructor(
    private readonly tokens: TokenStore,
    private readonly cacheMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  async principal(authorization: string | undefined): Promise<Principal | null> {
    if (!authorization) return null;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const token = match?.[1] ?? basicPassword(authorization);
    if (!token || !TOKEN_PATTERN.test(token)) return null;
    const cached = this.cache.get(token);
    const now = this.clock();
    if (cached && cached.until > now) return cached.principal;
    const found = await this.tokens.byHash(hashToken(token));
    const principal =
      found && !found.revoked ? { tokenId: found.tokenId, name: found.name, role: found.role } : null;
    if (this.cacheMs > 0) {
      // Bounded: a flood of made-up tokens must not grow memory without limit.
      if (this.cache.size >= 10_000) this.cache.clear();
      this.cache.set(token, { principal, until: now + this.cacheMs });
    }
    return principal;
  }

  /**
   * The answer from memory only: undefined when it would need the database (or the header is odd). `now`
   * lets a caller that reads the clock anyway read it once (each read is ~0.1 µs here).
   */
  cached(authorization: string | undefined, now = this.clock()): Principal | undefined {
    if (
      !authorization ||
      authorization.length < 8 ||
      // The exact spelling first: every client sends it, and it needs no lower-cased copy.
      (!authorization.startsWith('Bearer ') && authorization.slice(0, 7).toLowerCase() !== 'bearer ')
    ) {
      return undefined;
    }
    const cached = this.cache.get(authorization.slice(7).trim());
    return cached && cached.until > now && cached.principal ? cached.principal : undefined;
  }
}
