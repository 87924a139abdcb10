/**
 * Bearer tokens as stored: the SHA-256 of the secret, never the secret (auth.ts makes and checks them).
 */
import type { Principal, Role } from '../principal';
import type { Database } from './db';

export interface TokenRecord {
  id: string;
  name: string;
  role: Role;
  createdAt: number;
  revokedAt: number | null;
}

export class TokenStore {
  constructor(private readonly db: Database) {}

  async insert(token: TokenRecord & { secretHash: string }): Promise<boolean> {
    const changed = await this.db.run(
      `INSERT INTO tokens (id, name, role, secret_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
      [token.id, token.name, token.role, token.secretHash, token.createdAt, token.revokedAt],
    );
    return changed === 1;
  }

  async byHash(secretHash: string): Promise<(Principal & { revoked: boolean }) | undefined> {
    const row = await this.db.get<{ id: string; name: string; role: Role; revoked_at: number | null }>(
      'SELECT id, name, role, revoked_at FROM tokens WHERE secret_hash = ?',
      [secretHash],
    );
    return row && { tokenId: row.id, name: row.name, role: row.role, revoked: row.revoked_at !== null };
  }

  async list(): Promise<TokenRecord[]> {
    const rows = await this.db.all<{
      id: string;
      name: string;
      role: Role;
      created_at: number;
      revoked_at: number | null;
    }>('SELECT id, name, role, created_at, revoked_at FROM tokens ORDER BY created_at, id');
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      role: r.role,
      createdAt: Number(r.created_at),
      revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
    }));
  }

  async revoke(id: string, now: number): Promise<boolean> {
    const changed = await this.db.run(
      'UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
      [now, id],
    );
    return changed === 1;
  }
}
