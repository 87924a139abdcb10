import { z } from 'zod';
import { bilingual } from '../i18n';
import { type CrmId, crmIdSchema, type LeadField, type Stage } from '../lead';

/**
 * Which CRM field feeds which lead field. Adapters take the mapping as a parameter, so a rule set can
 * add a custom field, a renamed label or a kintone field code without a new release.
 */

const sourceText = z.string().trim().min(1).max(128);

/**
 * A lead field's key: a canonical LeadField (company, title, ...) or a custom key the rule set invents
 * (e.g. "budget", "productInterest"); it becomes a key of LeadSnapshot.fields, which caps keys at 64.
 */
export const fieldKeySchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, {
  error: bilingual(
    '英字で始まる64文字以内の英数字と _ で指定してください',
    'Use letters, digits and _; start with a letter; at most 64 characters',
  ),
});

/** Where one lead field is found on a CRM's pages. */
export const fieldSourceSchema = z.object({
  /**
   * Language-independent names, tried first: Salesforce field API name (Company), HubSpot property
   * (company), Dynamics attribute (companyname), Zoho API name (Company), Pipedrive field key
   * (org_id), kintone field code (会社名).
   */
  codes: z.array(sourceText).max(32).default([]),
  /** Labels as the CRM displays them, the fallback when no code marker is on the page. */
  labels: z
    .object({
      ja: z.array(sourceText).max(32).default([]),
      en: z.array(sourceText).max(32).default([]),
    })
    .default({ ja: [], en: [] }),
});
export type FieldSource = z.infer<typeof fieldSourceSchema>;

/** One CRM's mapping: lead field key → where to find it. */
export const crmFieldMappingSchema = z.record(fieldKeySchema, fieldSourceSchema);
export type CrmFieldMapping = z.infer<typeof crmFieldMappingSchema>;

/** Per CRM; a CRM left out reads nothing beyond the record key. */
export const fieldMappingsSchema = z.partialRecord(crmIdSchema, crmFieldMappingSchema);
export type FieldMappings = z.infer<typeof fieldMappingsSchema>;

function source(codes: string[], ja: string[], en: string[]): FieldSource {
  return { codes, labels: { ja, en } };
}

type Defaults = Record<LeadField, FieldSource>;

// Salesforce: standard Lead field API names; labels from the standard English and Japanese UI.
const salesforce: Defaults = {
  company: source(['Company'], ['会社名'], ['Company']),
  name: source(['Name'], ['氏名', '名前'], ['Name']),
  email: source(['Email'], ['メール'], ['Email']),
  title: source(['Title'], ['役職'], ['Title']),
  industry: source(['Industry'], ['業種'], ['Industry']),
  employees: source(['NumberOfEmployees'], ['従業員数'], ['No. of Employees', 'Employees']),
  region: source(['State', 'Address'], ['都道府県', '住所'], ['State/Province', 'Address']),
  leadSource: source(['LeadSource'], ['リードソース'], ['Lead Source']),
  status: source(['Status'], ['リード状況', '状況'], ['Lead Status', 'Status']),
  owner: source(['OwnerId', 'Owner'], ['リード所有者', '所有者'], ['Lead Owner', 'Owner']),
  createdAt: source(['CreatedDate', 'CreatedById'], ['作成日', '作成者'], ['Created Date', 'Created By']),
  mqlAt: source(['MQL_Date__c'], ['MQL日'], ['MQL Date']),
};

// HubSpot: internal property names of the contact (0-1) and lead (0-136) objects.
const hubspot: Defaults = {
  company: source(['company', 'hs_associated_company'], ['会社名'], ['Company name', 'Company']),
  name: source(['name', 'hs_full_name_or_email', 'hs_lead_name'], ['名前', '氏名'], ['Name', 'Lead name']),
  email: source(['email'], ['Eメール', 'メール'], ['Email']),
  title: source(['jobtitle'], ['役職'], ['Job Title', 'Job title']),
  industry: source(['industry'], ['業種'], ['Industry']),
  employees: source(['numemployees'], ['従業員数'], ['Number of Employees', 'Number of employees']),
  region: source(['state', 'country'], ['都道府県', '国/地域'], ['State/Region', 'Country/Region']),
  leadSource: source(
    ['hs_analytics_source', 'hs_lead_source'],
    ['最初のソース', 'リードソース'],
    ['Original Source', 'Lead source'],
  ),
  status: source(
    ['hs_lead_status', 'hs_pipeline_stage'],
    ['リードステータス', 'リードのステータス'],
    ['Lead Status', 'Lead stage'],
  ),
  owner: source(
    ['hubspot_owner_id'],
    ['コンタクト担当者', 'リード担当者', '担当者'],
    ['Contact owner', 'Lead owner'],
  ),
  createdAt: source(['createdate', 'hs_createdate'], ['作成日'], ['Create date', 'Created date']),
  mqlAt: source(
    ['hs_lifecyclestage_marketingqualifiedlead_date'],
    ['マーケティングクオリフィケーションリードになった日'],
    ['Became a Marketing Qualified Lead Date'],
  ),
};

// Dynamics 365: logical attribute names of the lead table.
const dynamics: Defaults = {
  company: source(
    ['companyname', 'parentaccountid'],
    ['会社名', '取引先企業名'],
    ['Company Name', 'Company'],
  ),
  name: source(['fullname'], ['氏名', '姓名'], ['Name', 'Full Name']),
  email: source(['emailaddress1'], ['電子メール', 'メール'], ['Email']),
  title: source(['jobtitle'], ['役職'], ['Job Title']),
  industry: source(['industrycode'], ['業種'], ['Industry']),
  employees: source(['numberofemployees'], ['従業員数'], ['No. of Employees', 'Number of Employees']),
  region: source(
    ['address1_stateorprovince', 'address1_country'],
    ['都道府県', '国/地域'],
    ['State/Province', 'Country/Region'],
  ),
  leadSource: source(['leadsourcecode'], ['リード ソース', 'リードソース'], ['Lead Source']),
  status: source(['statuscode'], ['ステータス理由', '状態の理由'], ['Status Reason']),
  owner: source(['ownerid'], ['所有者'], ['Owner']),
  createdAt: source(['createdon'], ['作成日'], ['Created On']),
  mqlAt: source(['new_mqldate'], ['MQL日'], ['MQL Date']),
};

// Zoho CRM: API names of the Leads module, then the column names its pages use in element ids and
// test hooks (Designation is DESIGNATION, Lead_Source is LEADSOURCE, Owner is SMOWNERID).
const zoho: Defaults = {
  company: source(['Company', 'COMPANY'], ['会社名'], ['Company']),
  name: source(['Full_Name', 'FULLNAME', 'Last_Name'], ['見込み客名', '氏名'], ['Lead Name', 'Name']),
  email: source(['Email', 'EMAIL'], ['メール'], ['Email']),
  title: source(['Designation', 'DESIGNATION'], ['役職'], ['Title', 'Designation']),
  industry: source(['Industry', 'INDUSTRY'], ['業種'], ['Industry']),
  employees: source(['No_of_Employees', 'EMPLOYEES'], ['従業員数'], ['No. of Employees']),
  region: source(['State', 'STATE', 'Country', 'COUNTRY'], ['都道府県', '国'], ['State', 'Country']),
  leadSource: source(['Lead_Source', 'LEADSOURCE'], ['リードソース', '見込み客のソース'], ['Lead Source']),
  status: source(
    ['Lead_Status', 'STATUS'],
    ['見込み客のステータス', 'リードステータス', '状況'],
    ['Lead Status'],
  ),
  owner: source(['Owner', 'SMOWNERID'], ['見込み客の担当者', '担当者', '所有者'], ['Lead Owner']),
  createdAt: source(['Created_Time', 'CREATEDTIME'], ['作成日時', '作成日'], ['Created Time']),
  mqlAt: source(['MQL_Date'], ['MQL日'], ['MQL Date']),
};

// Pipedrive: field keys of leads and persons (custom fields carry a 40-hex key in the rule set).
const pipedrive: Defaults = {
  company: source(['org_id', 'organization'], ['組織', '会社名'], ['Organization', 'Organisation']),
  name: source(['name', 'person_id', 'person'], ['名前', '連絡先担当者'], ['Name', 'Contact person']),
  email: source(['email'], ['メール', 'Eメール'], ['Email']),
  title: source(['job_title'], ['役職'], ['Job title']),
  industry: source(['industry'], ['業種'], ['Industry']),
  employees: source(['employee_count'], ['従業員数'], ['Number of employees']),
  region: source(['address'], ['住所'], ['Address']),
  leadSource: source(['source_name', 'origin'], ['ソース', 'リードソース'], ['Source', 'Lead source']),
  status: source(['label_ids', 'label'], ['ラベル'], ['Labels', 'Label']),
  owner: source(['owner_id', 'owner'], ['所有者'], ['Owner']),
  createdAt: source(['add_time'], ['作成日', '追加日'], ['Lead created', 'Created', 'Add time']),
  mqlAt: source([], ['MQL日'], ['MQL date']),
};

// kintone: field codes default to the field name, so the common Japanese names are the codes too.
const kintone: Defaults = {
  company: source(['会社名', 'company'], ['会社名'], ['Company']),
  name: source(['氏名', '担当者名', 'name'], ['氏名', '担当者名'], ['Name']),
  email: source(['メールアドレス', 'email'], ['メールアドレス'], ['Email']),
  title: source(['役職', 'title'], ['役職'], ['Title']),
  industry: source(['業種', 'industry'], ['業種'], ['Industry']),
  employees: source(['従業員数', 'employees'], ['従業員数'], ['Employees']),
  region: source(['都道府県', 'region'], ['都道府県'], ['Region']),
  leadSource: source(['リードソース', 'leadSource'], ['リードソース'], ['Lead Source']),
  status: source(['ステータス', '状況', 'status'], ['ステータス', '状況'], ['Status']),
  owner: source(['担当者', '作業者', 'owner'], ['担当者', '作業者'], ['Owner', 'Assignee']),
  createdAt: source(['作成日時', 'createdAt'], ['作成日時'], ['Created datetime']),
  mqlAt: source(['MQL日', 'mqlAt'], ['MQL日'], ['MQL date']),
};

/** The mapping Baton ships with: the standard fields of all six CRMs. */
export const defaultFieldMappings = {
  salesforce,
  hubspot,
  dynamics,
  zoho,
  pipedrive,
  kintone,
} satisfies Record<CrmId, Defaults> as Readonly<Record<CrmId, CrmFieldMapping>>;

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

/**
 * A rule set's mapping laid over another (usually the defaults): its codes and labels are tried
 * before the base's, and its custom fields are added.
 */
export function mergeFieldMappings(base: FieldMappings, extra: FieldMappings): FieldMappings {
  const out: FieldMappings = {};
  for (const crm of crmIdSchema.options) {
    const b = base[crm];
    const e = extra[crm];
    if (!b && !e) continue;
    const merged: CrmFieldMapping = { ...b };
    for (const [key, src] of Object.entries(e ?? {})) {
      const prev = merged[key];
      merged[key] = prev
        ? {
            codes: union(src.codes, prev.codes),
            labels: { ja: union(src.labels.ja, prev.labels.ja), en: union(src.labels.en, prev.labels.en) },
          }
        : src;
    }
    out[crm] = merged;
  }
  return out;
}

/** What a CRM status says about a lead's outcome, once the rule set's status mapping has named its stage. */
export type StatusMeaning = 'sql' | 'opportunity' | 'won' | 'lost';

/**
 * The outcome a stage records for the KPIs, or null for the CRM's bookkeeping stages (new, contacted,
 * recycled...). Sales accepting a lead (sql), converting it (converted: an opportunity, 商談化), winning
 * (won, 受注) or losing it (lost, 失注) in the CRM counts as if it had been said in Baton.
 */
export function statusMeaning(stage: Stage): StatusMeaning | null {
  switch (stage) {
    case 'sql':
      return 'sql';
    case 'converted':
      return 'opportunity';
    case 'won':
      return 'won';
    case 'lost':
      return 'lost';
    default:
      return null;
  }
}
