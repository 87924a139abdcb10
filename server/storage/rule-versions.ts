/**
 * Rule versions and their sign-offs: drafts, the two sides' sign-offs that activate one, rollbacks and the
 * first seed. Every write that depends on the current state locks the one rules_head row first.
 */
import type { RuleVersion } from '../../lib/events';
import type { LocalizedText } from '../../lib/i18n';
import type { ApproverSide } from '../../lib/roles';
import type { Principal, Role } from '../principal';
import { type Database, forUpdate, type Sql } from './db';

/** A rules write the current state does not allow (unknown version, already signed, not a draft...). */
export class RuleStateError extends Error {
  override name = 'RuleStateError';
  constructor(
    readonly status: 404 | 409,
    readonly code: string,
    readonly text: LocalizedText,
  ) {
    super(text.en);
  }
}

interface VersionRow {
  version: number;
  status: RuleVersion['status'];
  rules?: string;
  note: string | null;
  created_at: number;
  created_by_name: string;
  created_by_role: Role;
  rollback_of: number | null;
  activated_at: number | null;
  activation: RuleVersion['activation'];
}

interface SignoffRow {
  version: number;
  side: ApproverSide;
  signer_name: string;
  signer_role: Role;
  signed_at: number;
  comment: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

export interface ActiveRules {
  version: number;
  activatedAt: number;
  rules: string;
}

export class RuleVersionStore {
  constructor(private readonly db: Database) {}

  async activeVersionNumber(): Promise<number | null> {
    const row = await this.db.get<{ active_version: number | null }>(
      'SELECT active_version FROM rules_head WHERE id = 1',
    );
    return row?.active_version == null ? null : Number(row.active_version);
  }

  async active(): Promise<ActiveRules | undefined> {
    const row = await this.db.get<{ version: number; activated_at: number; rules: string }>(
      "SELECT version, activated_at, rules FROM rule_versions WHERE status = 'active'",
    );
    return row && { version: Number(row.version), activatedAt: Number(row.activated_at), rules: row.rules };
  }

  /** The stored rule set JSON of a version, without its sign-offs. */
  async rulesOf(version: number): Promise<string | undefined> {
    const row = await this.db.get<{ rules: string }>('SELECT rules FROM rule_versions WHERE version = ?', [
      version,
    ]);
    return row?.rules;
  }

  async version(version: number): Promise<RuleVersion | undefined> {
    const row = await this.db.get<VersionRow>(
      `SELECT version, status, rules, note, created_at, created_by_name, created_by_role, rollback_of,
              activated_at, activation
       FROM rule_versions WHERE version = ?`,
      [version],
    );
    if (!row) return undefined;
    const signoffs = await this.db.all<SignoffRow>(
      'SELECT version, side, signer_name, signer_role, signed_at, comment FROM rule_signoffs WHERE version = ? ORDER BY signed_at',
      [version],
    );
    return toRuleVersion(row, signoffs);
  }

  /** Every version, newest first, without the rules themselves. */
  async history(): Promise<RuleVersion[]> {
    const versions = await this.db.all<VersionRow>(
      `SELECT version, status, note, created_at, created_by_name, created_by_role, rollback_of, activated_at, activation
       FROM rule_versions ORDER BY version DESC`,
    );
    const signoffs = await this.db.all<SignoffRow>(
      'SELECT version, side, signer_name, signer_role, signed_at, comment FROM rule_signoffs ORDER BY signed_at',
    );
    return versions.map((v) =>
      toRuleVersion(
        v,
        signoffs.filter((s) => Number(s.version) === Number(v.version)),
      ),
    );
  }

  /**
   * A new draft. `render` writes the rules for the version number the database hands out, so the rule set
   * can carry its own version (browsers keep the highest they have seen).
   */
  async createDraft(render: (version: number) => string, note: string | null, by: Principal, now: number) {
    return this.db.transaction((tx) => this.insertVersion(tx, render, note, by, now, null));
  }

  private async insertVersion(
    tx: Sql,
    render: (version: number) => string,
    note: string | null,
    by: Principal,
    now: number,
    rollbackOf: number | null,
  ): Promise<number> {
    const row = await tx.get<{ version: number }>(
      `INSERT INTO rule_versions (status, rules, note, created_at, created_by_token, created_by_name, created_by_role, rollback_of)
       VALUES ('draft', '', ?, ?, ?, ?, ?, ?) RETURNING version`,
      [note, now, by.tokenId, by.name, by.role, rollbackOf],
    );
    const version = Number(row!.version);
    await tx.run('UPDATE rule_versions SET rules = ? WHERE version = ?', [render(version), version]);
    return version;
  }

  /** Records one side's sign-off; the second side's sign-off activates the version. */
  async signOff(
    version: number,
    side: ApproverSide,
    by: Principal,
    comment: string | null,
    now: number,
  ): Promise<{ activated: boolean }> {
    return this.db.transaction(async (tx) => {
      await this.lockRules(tx);
      const row = await tx.get<{ status: string }>('SELECT status FROM rule_versions WHERE version = ?', [
        version,
      ]);
      if (!row) throw versionNotFound(version);
      if (row.status !== 'draft') {
        throw new RuleStateError(409, 'not_a_draft', {
          ja: `バージョン ${version} は下書きではないため承認できません（状態: ${row.status}）`,
          en: `Version ${version} is not a draft and cannot be signed off (status: ${row.status})`,
        });
      }
      const signed = await tx.get('SELECT side FROM rule_signoffs WHERE version = ? AND side = ?', [
        version,
        side,
      ]);
      if (signed) {
        throw new RuleStateError(409, 'already_signed', {
          ja: `バージョン ${version} は${side === 'marketing' ? 'マーケティング' : '営業'}側で承認済みです`,
          en: `Version ${version} is already signed off by ${side}`,
        });
      }
      await tx.run(
        `INSERT INTO rule_signoffs (version, side, token_id, signer_name, signer_role, signed_at, comment)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [version, side, by.tokenId, by.name, by.role, now, comment],
      );
      const count = await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM rule_signoffs WHERE version = ?', [
        version,
      ]);
      if (Number(count?.n) < 2) return { activated: false };
      await this.activate(tx, version, 'signoffs', now);
      return { activated: true };
    });
  }

  /**
   * A new version carrying `rules` (an earlier version's, validated by the caller); an admin's rollback is
   * active at once, anyone else's waits for both sign-offs.
   */
  async rollback(
    toVersion: number,
    render: (version: number) => string,
    note: string | null,
    by: Principal,
    now: number,
  ): Promise<number> {
    return this.db.transaction(async (tx) => {
      const activeVersion = await this.lockRules(tx);
      const target = await tx.get<{ activated_at: number | null }>(
        'SELECT activated_at FROM rule_versions WHERE version = ?',
        [toVersion],
      );
      if (!target) throw versionNotFound(toVersion);
      if (target.activated_at === null) {
        throw new RuleStateError(409, 'never_active', {
          ja: `バージョン ${toVersion} は一度も有効になっていないため、戻す先にできません`,
          en: `Version ${toVersion} was never active, so it cannot be rolled back to`,
        });
      }
      if (activeVersion === toVersion) {
        throw new RuleStateError(409, 'already_active', {
          ja: `バージョン ${toVersion} は現在有効です`,
          en: `Version ${toVersion} is the active version already`,
        });
      }
      const version = await this.insertVersion(tx, render, note, by, now, toVersion);
      if (by.role === 'admin') await this.activate(tx, version, 'admin', now);
      return version;
    });
  }

  /** The first rule set of a fresh installation, active without sign-offs; does nothing if any version exists. */
  async seed(render: (version: number) => string, now: number): Promise<number | null> {
    return this.db.transaction(async (tx) => {
      await this.lockRules(tx);
      const any = await tx.get('SELECT version FROM rule_versions LIMIT 1');
      if (any) return null;
      const seeder: Principal = { tokenId: 'seed', name: 'Baton', role: 'admin' };
      const version = await this.insertVersion(
        tx,
        render,
        'Default rule set / 既定のルール',
        seeder,
        now,
        null,
      );
      await this.activate(tx, version, 'seed', now);
      return version;
    });
  }

  /** Locks the one head row every rules write goes through; returns the active version. */
  private async lockRules(tx: Sql): Promise<number | null> {
    const head = await tx.get<{ active_version: number | null }>(
      `SELECT active_version FROM rules_head WHERE id = 1${forUpdate(this.db.dialect)}`,
    );
    return head?.active_version == null ? null : Number(head.active_version);
  }

  private async activate(tx: Sql, version: number, how: 'signoffs' | 'admin' | 'seed', now: number) {
    await tx.run("UPDATE rule_versions SET status = 'retired' WHERE status = 'active'");
    // An older draft was written against rules that are no longer current: it must be redrafted.
    await tx.run("UPDATE rule_versions SET status = 'superseded' WHERE status = 'draft' AND version < ?", [
      version,
    ]);
    await tx.run(
      "UPDATE rule_versions SET status = 'active', activated_at = ?, activation = ? WHERE version = ?",
      [now, how, version],
    );
    await tx.run('UPDATE rules_head SET active_version = ?, changed_at = ? WHERE id = 1', [version, now]);
  }
}

/** 404 for a rule version that does not exist, in both languages; every route says it this way. */
export function versionNotFound(version: number): RuleStateError {
  return new RuleStateError(404, 'version_not_found', {
    ja: `ルールのバージョン ${version} は存在しません`,
    en: `Rule version ${version} does not exist`,
  });
}

function toRuleVersion(row: VersionRow, signoffs: SignoffRow[]): RuleVersion {
  const version: RuleVersion = {
    version: Number(row.version),
    status: row.status,
    note: row.note,
    createdAt: iso(Number(row.created_at)),
    createdBy: { name: row.created_by_name, role: row.created_by_role },
    rollbackOf: row.rollback_of === null ? null : Number(row.rollback_of),
    signoffs: signoffs.map((s) => ({
      side: s.side,
      by: { name: s.signer_name, role: s.signer_role },
      at: iso(Number(s.signed_at)),
      comment: s.comment,
    })),
    activatedAt: row.activated_at === null ? null : iso(Number(row.activated_at)),
    activation: row.activation,
  };
  if (row.rules !== undefined) version.rules = JSON.parse(row.rules);
  return version;
}
