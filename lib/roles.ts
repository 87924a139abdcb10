/**
 * Who a token holder is to Baton: the role of a person (or of one intake automation), which side of the
 * SLA a role signs for, and which roles may write the rules. The endpoint enforces these; the console
 * reads them to say up front what a token cannot do.
 */
import { z } from 'zod';

/** People's roles, and intake: the token of one automation that sends handoffs (POST /v1/intake/{source}). */
export const roleSchema = z.enum(['rep', 'manager', 'marketer', 'admin', 'intake']);
export type Role = z.infer<typeof roleSchema>;

export const approverSideSchema = z.enum(['marketing', 'sales']);
export type ApproverSide = z.infer<typeof approverSideSchema>;

/**
 * Who signs off a rule set for which department. The SLA is an agreement between marketing and sales,
 * so a version needs one signature from each side; admins administer but do not sign.
 */
export const APPROVER_SIDE: Partial<Record<Role, ApproverSide>> = { marketer: 'marketing', manager: 'sales' };

/**
 * Which roles may do each write on the rules. The endpoint enforces it; clients read it to say up front
 * what a token cannot do. Admins do not sign: the SLA is signed by marketing and by sales.
 */
export const RULE_WRITE_ROLES = {
  propose: ['marketer', 'manager', 'admin'],
  signOff: ['marketer', 'manager'],
  rollback: ['marketer', 'manager', 'admin'],
} as const satisfies Record<string, readonly Role[]>;
export type RuleWrite = keyof typeof RULE_WRITE_ROLES;
