/**
 * A recorded score explanation as the endpoint stores it in lead_facts: "f:icp_industry:20|e:webinar:5",
 * kind (f = fit, e = engagement), rule id and points per line. A what-if against a draft reads every
 * explanation of a period (a quarter of a million for a large team); as JSON with keys they were four
 * times the text and twice the parsing time. Rule ids are [a-z0-9_-] (lib/rules/schema.ts, and the
 * event schema checks the same), so ":" and "|" never occur inside one.
 */

/** One line of a recorded score explanation (handoff_observed.explanation). */
export interface ExplanationLine {
  ruleId: string;
  kind: 'fit' | 'engagement';
  points: number;
}

/** A rule id as lib/rules/schema.ts allows it; an explanation naming anything else is damaged. */
export const RULE_ID = /^[a-z0-9][a-z0-9_-]*$/;

export function encodeExplanation(lines: readonly ExplanationLine[]): string {
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    out += `${i === 0 ? '' : '|'}${line.kind === 'fit' ? 'f' : 'e'}:${line.ruleId}:${line.points}`;
  }
  return out;
}

/** The lines, or null when the text is not an encoded explanation: a damaged one is ignored whole. */
export function decodeExplanation(text: string | null): ExplanationLine[] | null {
  if (text === null) return null;
  if (text === '') return [];
  const parts = text.split('|');
  const lines = new Array<ExplanationLine>(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const kind =
      part.charCodeAt(0) === 102 /* f */ ? 'fit' : part.charCodeAt(0) === 101 /* e */ ? 'engagement' : null;
    const last = part.lastIndexOf(':');
    if (kind === null || part.charCodeAt(1) !== 58 /* : */ || last <= 2) return null;
    const ruleId = part.slice(2, last);
    const digits = part.slice(last + 1);
    const points = Number(digits);
    if (!RULE_ID.test(ruleId) || digits === '' || !Number.isFinite(points)) return null;
    lines[i] = { ruleId, kind, points };
  }
  return lines;
}
