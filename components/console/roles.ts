import { type Role, RULE_WRITE_ROLES, type RuleWrite } from '../../lib/events';
import { type LocalizedText, textTable } from '../../lib/i18n';

/** Roles by what people call them; the codes (rep, marketer...) belong to the token CLI, not the UI. */
export const ROLE_LABEL: Record<Role, LocalizedText> = textTable({
  ja: {
    rep: '営業担当',
    manager: '営業マネージャー',
    marketer: 'マーケティング担当',
    admin: '管理者',
    intake: '取り込み連携',
  },
  en: {
    rep: 'sales rep',
    manager: 'sales manager',
    marketer: 'marketer',
    admin: 'administrator',
    intake: 'handoff intake',
  },
});

/** Why the signed-in role may not do one write, for each write it may not do. */
export type Refusals = Partial<Record<RuleWrite, LocalizedText>>;

/** Why a rep's token is refused a rule write: said up front, and after the endpoint's own 403. */
export const REP_CANNOT_WRITE_RULES: LocalizedText = {
  ja: '営業担当のトークンではルールの提案・承認・ロールバックはできません。マーケティング担当またはマネージャーのトークンを使ってください',
  en: "A rep token cannot propose, sign off or roll back rules; use a marketer's or a manager's token",
};

/**
 * What the console disables up front for a role, and why. An unknown role (an endpoint without /v1/me)
 * disables nothing: the endpoint's 403 is then explained when it comes.
 */
export function refusalsFor(role: Role | null): Refusals {
  if (!role) return {};
  const refusals: Refusals = {};
  for (const write of Object.keys(RULE_WRITE_ROLES) as RuleWrite[]) {
    if ((RULE_WRITE_ROLES[write] as readonly Role[]).includes(role)) continue;
    refusals[write] =
      role === 'rep'
        ? REP_CANNOT_WRITE_RULES
        : role === 'admin' && write === 'signOff'
          ? {
              ja: '管理者は承認しません。SLA はマーケティング担当（マーケティング側）と営業マネージャー（営業側）が承認します',
              en: 'An admin does not sign off: the SLA is signed by a marketer for marketing and a manager for sales',
            }
          : {
              ja: `この操作は ${RULE_WRITE_ROLES[write].join('・')} の権限が必要です（あなたの権限: ${role}）`,
              en: `This needs the role ${RULE_WRITE_ROLES[write].join(', ')} (your role: ${role})`,
            };
  }
  return refusals;
}
