/**
 * Who a request acts as: the token holder the Authenticator found (auth.ts), with the role that decides
 * what they may do. Stores record it on what they write (rule versions, sign-offs).
 */
import type { Role } from '../lib/roles';

export type { Role } from '../lib/roles';

export interface Principal {
  tokenId: string;
  name: string;
  role: Role;
}

export const ROLES: readonly Role[] = ['rep', 'manager', 'marketer', 'admin', 'intake'];
/** The roles of people; an intake token may only post handoffs of its own source (server/intake.ts). */
export const PEOPLE_ROLES: readonly Role[] = ['rep', 'manager', 'marketer', 'admin'];
