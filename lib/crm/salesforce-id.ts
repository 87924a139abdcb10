/**
 * Salesforce record ids: 15 characters, case-sensitive, or 18 with a 3-character suffix that encodes
 * the case of the first 15 so the id survives case-insensitive tools. Baton always keys leads by the
 * 18-character form, whichever one the URL carried.
 */

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** The 18-character form of a 15- or 18-character id (the suffix recomputed), or null if malformed. */
export function salesforceId18(id: string): string | null {
  if (!ID.test(id)) return null;
  const base = id.slice(0, 15);
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = base.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return base + suffix;
}

/** True when the id (either form) belongs to the Lead object, whose key prefix is 00Q. */
export function isLeadId(id: string): boolean {
  return id.startsWith('00Q') && ID.test(id);
}
