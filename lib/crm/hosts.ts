/**
 * Whether a host serves a CRM's pages, from each adapter's own host pattern: the endpoint takes a link to
 * a lead (an escalation's URL, forwarded to Slack and shown to every rep) only on its CRM's hosts.
 */
import type { CrmId } from '../lead';
import { HOST as dynamics } from './dynamics';
import { HOST as hubspot } from './hubspot';
import { HOST as kintone } from './kintone';
import { HOST as pipedrive } from './pipedrive';
import { CLASSIC_HOST, LIGHTNING_HOST } from './salesforce';
import { HOST as zoho } from './zoho';

const HOSTS: Record<CrmId, readonly RegExp[]> = {
  salesforce: [LIGHTNING_HOST, CLASSIC_HOST],
  hubspot: [hubspot],
  dynamics: [dynamics],
  zoho: [zoho],
  pipedrive: [pipedrive],
  kintone: [kintone],
};

/** True for an https URL on a host of `crm`; false for any other scheme, host, or text that is no URL. */
export function isCrmPageUrl(crm: CrmId, url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return false;
  const host = parsed.hostname.toLowerCase();
  return HOSTS[crm].some((pattern) => pattern.test(host));
}
