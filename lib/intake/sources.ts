/**
 * The mapping Baton ships for each intake source, in the shape that source really sends (fixtures in
 * ./fixtures, recipes in docs/intake/). A rule set's `intake` entry for a source replaces its mapping
 * whole, for custom fields (a kintone field code, a Salesforce custom MQL date).
 */
import type { RuleSet } from '../rules/schema';
import type { IntakeMapping, IntakeSource } from './mapping';

export const builtInIntakeMappings: Readonly<Record<IntakeSource, IntakeMapping>> = {
  // Workflow action "Send a webhook" with "Include all contact properties": the contact record as the
  // legacy contacts API wrote it, each property `{ value, versions }`, dates in epoch milliseconds. No
  // delivery id: the contact and its MQL date name the handoff, and HubSpot retries the same body.
  hubspot: {
    crm: { value: 'hubspot' },
    object: { value: 'contact' },
    recordId: 'vid',
    eventId: ['vid', 'properties.hs_lifecyclestage_marketingqualifiedlead_date.value'],
    site: { path: 'portal-id' },
    fields: {
      company: 'properties.company.value',
      email: 'properties.email.value',
      title: 'properties.jobtitle.value',
      industry: 'properties.industry.value',
      employees: 'properties.numemployees.value',
      leadSource: 'properties.hs_analytics_source.value',
      status: 'properties.hs_lead_status.value',
      owner: 'properties.hubspot_owner_id.value',
      mqlAt: 'properties.hs_lifecyclestage_marketingqualifiedlead_date.value',
    },
  },
  // App settings → Webhook, "Record added" / "Record edited": every field `{ type, value }` under its
  // field code; a user-select field is a list of `{ code, name }`. `id` is the notification's own UUID.
  kintone: {
    crm: { value: 'kintone' },
    object: { path: 'app.id' },
    recordId: 'record.$id.value',
    eventId: ['id'],
    site: { path: 'url' },
    fields: {
      company: 'record.会社名.value',
      name: 'record.氏名.value',
      title: 'record.役職.value',
      industry: 'record.業種.value',
      employees: 'record.従業員数.value',
      leadSource: 'record.リードソース.value',
      status: 'record.ステータス.value',
      owner: 'record.担当者.value.0.name',
      createdAt: 'record.作成日時.value',
      mqlAt: 'record.MQL日.value',
    },
  },
  // Webhooks v2, event "create.lead" / "change.lead": `meta` about the event, `data` the lead. A lead
  // holds ids, not names (owner_id, organization_id): the owner is matched by id. A retry keeps
  // update_time; a later change has a new one.
  pipedrive: {
    crm: { value: 'pipedrive' },
    object: { path: 'meta.entity' },
    recordId: 'data.id',
    eventId: ['meta.entity_id', 'data.update_time'],
    site: { path: 'meta.host' },
    fields: {
      company: 'data.title',
      leadSource: 'data.source_name',
      owner: 'data.owner_id',
      createdAt: 'data.add_time',
      mqlAt: 'data.add_time',
    },
  },
  // Flow "HTTP Callout" action with the JSON body of docs/intake/salesforce.md: the Flow builds it from
  // the Lead record, so its keys are ours; eventId is the Flow interview's GUID and the MQL time.
  salesforce: {
    crm: { value: 'salesforce' },
    object: { value: 'Lead' },
    recordId: 'lead.Id',
    eventId: ['eventId'],
    site: { path: 'site' },
    fields: {
      company: 'lead.Company',
      title: 'lead.Title',
      industry: 'lead.Industry',
      employees: 'lead.NumberOfEmployees',
      leadSource: 'lead.LeadSource',
      status: 'lead.Status',
      owner: 'lead.OwnerName',
      mqlAt: 'lead.MQLDate',
    },
  },
  // One handoff per row; the columns are the paths.
  csv: {
    crm: { path: 'crm' },
    object: { path: 'object' },
    recordId: 'record_id',
    eventId: ['event_id'],
    site: { path: 'site' },
    fields: {
      company: 'company',
      name: 'name',
      email: 'email',
      title: 'title',
      industry: 'industry',
      employees: 'employees',
      leadSource: 'lead_source',
      status: 'status',
      owner: 'owner',
      mqlAt: 'mql_at',
    },
  },
};

/** The mapping in force for a source: the rule set's own if it has one, else the built-in one. */
export function intakeMappingOf(rules: Pick<RuleSet, 'intake'>, source: IntakeSource): IntakeMapping {
  return rules.intake?.[source] ?? builtInIntakeMappings[source];
}
