// @vitest-environment happy-dom
import { cleanup, configure, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Lang } from '../../lib/i18n';
import { defaultRuleSet, validateRuleSet } from '../../lib/rules';
import { RulesEditor } from './RulesEditor';

/** The editor as the console uses it: the draft in state, validated on every change. */
function Harness({
  lang,
  initial = structuredClone(defaultRuleSet) as unknown,
}: {
  lang: Lang;
  initial?: unknown;
}) {
  const [draft, setDraft] = useState<unknown>(initial);
  const result = validateRuleSet(draft);
  return (
    <>
      <RulesEditor
        lang={lang}
        draft={draft}
        onChange={setDraft}
        problems={result.ok ? [] : result.problems}
      />
      <output data-testid="draft">{JSON.stringify(draft)}</output>
    </>
  );
}

const draftNow = () => JSON.parse(screen.getByTestId('draft').textContent ?? 'null');

// Rendering the whole rule-set form takes a second or more on a busy two-core machine.
configure({ asyncUtilTimeout: 10_000 });

describe('RulesEditor', { timeout: 30_000 }, () => {
  afterEach(cleanup);

  it('edits the threshold through its labelled field', () => {
    render(<Harness lang="en" />);
    const total = screen.getByLabelText('Total threshold') as HTMLInputElement;
    expect(total.value).toBe('60');
    fireEvent.change(total, { target: { value: '55' } });
    expect(draftNow().threshold.total).toBe(55);
    expect(screen.getByText('✓ No problems')).toBeTruthy();
  });

  it('validates as you type, with the schema’s message under the field, in English', () => {
    render(<Harness lang="en" />);
    const total = screen.getByLabelText('Total threshold');
    fireEvent.change(total, { target: { value: '5x' } });
    expect(total.getAttribute('aria-invalid')).toBe('true');
    const message = document.getElementById(total.getAttribute('aria-describedby')!)!;
    expect(message.textContent).toBe('Give a whole number');
    // The summary says where, in the words of the form, not as a JSON path.
    const summary = screen.getByRole('region', { name: '1 problems' });
    expect(within(summary).getByRole('listitem').textContent).toMatch(
      /^Threshold › Total threshold: Give a whole number/,
    );
    expect(summary.textContent).not.toContain('threshold.total');
    fireEvent.change(total, { target: { value: '900' } });
    expect(document.getElementById(total.getAttribute('aria-describedby')!)!.textContent).toMatch(
      /^No lead can reach 900: at most \d+ points are possible/,
    );
    fireEvent.change(total, { target: { value: '60' } });
    expect(total.getAttribute('aria-invalid')).toBeNull();
  });

  it('shows the same problems in Japanese', () => {
    render(<Harness lang="ja" />);
    const gradeB = screen.getByLabelText('ランク B の下限');
    fireEvent.change(gradeB, { target: { value: '70' } });
    expect(document.getElementById(gradeB.getAttribute('aria-describedby')!)!.textContent).toBe(
      'B の下限は A の下限より小さくしてください',
    );
    expect(screen.getByRole('heading', { name: '1 件の問題' })).toBeTruthy();
    expect(screen.getByRole('region', { name: '1 件の問題' }).textContent).toContain(
      '属性のランク（下限点） › ランク B の下限: B の下限は',
    );
  });

  it('marks a rule’s points of 0 on that rule, and removes an optional minimum when emptied', () => {
    render(<Harness lang="en" />);
    const referral = screen.getByRole('group', { name: 'Referral' });
    fireEvent.change(within(referral).getByLabelText('Points'), { target: { value: '0' } });
    expect(within(referral).getByText('A rule worth 0 points does nothing')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Minimum engagement'), { target: { value: '' } });
    expect('minEngagement' in draftNow().threshold).toBe(false);
  });

  it('adds a trigger that validation then asks to complete, and an SLA tier can pick it', () => {
    render(<Harness lang="en" />);
    const triggers = screen.getByRole('group', { name: 'Triggers' });
    fireEvent.click(within(triggers).getByRole('button', { name: 'Add: Triggers' }));
    expect(draftNow().triggers).toHaveLength(4);
    expect(screen.getByText('Triggers › #4 › Id')).toBeTruthy();
    const id = document.getElementById('f-triggers[3].id') as HTMLInputElement;
    fireEvent.change(id, { target: { value: 'webinar_signup' } });
    fireEvent.change(document.getElementById('f-triggers[3].label.ja')!, {
      target: { value: 'ウェビナー申込' },
    });
    fireEvent.change(document.getElementById('f-triggers[3].label.en')!, {
      target: { value: 'Webinar sign-up' },
    });
    expect(screen.getByText('✓ No problems')).toBeTruthy();
    // The tier offers the new trigger by its label, not its id.
    const hot = screen.getByRole('group', { name: 'Hot lead (demo request, pricing page)' });
    fireEvent.click(within(hot).getByRole('checkbox', { name: 'Webinar sign-up' }));
    expect(draftNow().sla.tiers[0].match.triggerIds).toEqual([
      'demo_request',
      'pricing_view',
      'webinar_signup',
    ]);
  });

  it('changes a condition’s test and keeps the field it reads', () => {
    render(<Harness lang="en" />);
    const referral = screen.getByRole('group', { name: 'Referral' });
    fireEvent.change(within(referral).getByLabelText('Test'), { target: { value: 'equals' } });
    expect(draftNow().fitRules[6].condition).toEqual({ op: 'equals', field: 'leadSource', value: '' });
    expect(within(referral).getByText('Must not be empty')).toBeTruthy();
  });

  it('maps a custom CRM status to a stage', () => {
    render(<Harness lang="en" />);
    const sf = screen.getByRole('group', { name: 'Salesforce' });
    fireEvent.click(within(sf).getByRole('button', { name: 'Add a row: Salesforce' }));
    const keys = within(sf).getAllByLabelText('Status in the CRM') as HTMLInputElement[];
    fireEvent.change(keys[keys.length - 1]!, { target: { value: '商談中' } });
    const stage = within(sf).getByLabelText('Stage: 商談中') as HTMLSelectElement;
    expect([...stage.options].map((o) => o.text)).toContain('Converted');
    fireEvent.change(stage, { target: { value: 'sql' } });
    expect(draftNow().statusMapping.salesforce.商談中).toBe('sql');
  });

  it('edits the raw JSON with the same validation, and says when it is not JSON', () => {
    render(<Harness lang="en" />);
    fireEvent.click(screen.getByRole('button', { name: 'JSON' }));
    const json = screen.getByLabelText('Rule set (JSON)') as HTMLTextAreaElement;
    const edited = JSON.parse(json.value);
    edited.treshold = 50;
    fireEvent.change(json, { target: { value: JSON.stringify(edited) } });
    expect(screen.getByText(/Unknown key \(check the spelling\): treshold/)).toBeTruthy();
    fireEvent.change(json, { target: { value: '{"version": ' } });
    expect(screen.getByRole('alert').textContent).toMatch(/^Not valid JSON/);
    // The last valid JSON stays the draft.
    expect(draftNow().treshold).toBe(50);
  });

  it('imports a rules file', async () => {
    render(<Harness lang="en" />);
    const input = screen.getByLabelText('Import a rules file', { selector: 'input' }) as HTMLInputElement;
    const rules = { ...defaultRuleSet, threshold: { total: 70 } };
    const file = new File([JSON.stringify(rules)], 'team-rules.json', { type: 'application/json' });
    fireEvent.change(input, { target: { files: [file] } });
    await screen.findByDisplayValue('70');
    expect(draftNow().threshold).toEqual({ total: 70 });
  });

  // Issue 20: a rules editor a marketer reads in business words.
  it('opens on the business sections in the order a team agrees them, revision folded away at the end', () => {
    render(<Harness lang="en" />);
    const nav = screen.getByRole('navigation', { name: 'Sections' });
    expect(
      within(nav)
        .getAllByRole('link')
        .map((a) => a.textContent),
    ).toEqual([
      'Name and definitions',
      'ICP: the ideal customer',
      'Fit: who the lead is',
      'Behaviour: what the lead did',
      'Threshold: when a lead becomes an MQL',
      'Triggers and exclusions',
      'SLA: first-contact deadlines',
      'First contact',
      'Escalation',
      'Business calendar',
      'Reasons sales give',
      'CRM statuses',
      'CRM fields',
      'Review',
      'Conversion target',
    ]);
    const revision = screen.getByText('Version name and number (set when proposing)').closest('details')!;
    expect(revision.open).toBe(false);
    const fields = [...document.querySelectorAll('.form input, .form select, .form textarea')];
    // The first field is the rule set's name, and the revision's fields come after every other field.
    expect(fields[0]!.id).toBe('f-name.ja');
    expect(fields.slice(-2).map((f) => f.id)).toEqual(['f-version.id', 'f-version.number']);
  });

  it('opens the folded revision when a problem is there', () => {
    render(<Harness lang="en" />);
    fireEvent.click(screen.getByRole('button', { name: 'JSON' }));
    const json = screen.getByLabelText('Rule set (JSON)') as HTMLTextAreaElement;
    const edited = JSON.parse(json.value);
    edited.version.number = 0;
    fireEvent.change(json, { target: { value: JSON.stringify(edited) } });
    fireEvent.click(screen.getByRole('button', { name: 'Form' }));
    const summary = screen.getByRole('region', { name: '1 problems' });
    expect(summary.textContent).toContain('Version › Number: Give a whole number of 1 or more');
    expect(screen.getByText('Version name and number (set when proposing)').closest('details')!.open).toBe(
      true,
    );
  });

  for (const [lang, demo, visit, matches, reminder] of [
    ['en', 'Demo request', 'Website visit', 'matches a pattern', 'Reminder to the owner'],
    ['ja', 'デモ依頼', 'サイト訪問', '正規表現に一致', '担当者へのリマインド'],
  ] as const) {
    it(`shows every code by its label, in ${lang}`, () => {
      render(<Harness lang={lang} />);
      const form = document.querySelector('.form')!;
      const activity = document.getElementById('f-engagementRules[0].activities[0].types')!;
      const names = within(activity)
        .getAllByRole('checkbox')
        .map((c) => c.parentElement!.textContent);
      expect(names).toContain(demo);
      expect(names).toContain(visit);
      const test = document.getElementById('f-fitRules[3].condition.op') as HTMLSelectElement;
      expect(test.selectedOptions[0]!.text).toBe(matches);
      const who = document.getElementById('f-escalation.steps[0].kind') as HTMLSelectElement;
      expect(who.selectedOptions[0]!.text).toBe(reminder);
      // No activity code, trigger id, rule id or CRM id is shown as text anywhere in the form.
      expect(form.textContent).not.toMatch(
        /web_visit|email_sent|demo_request|pricing_view|document_download|icp_industry|salesforce|\(referral\)/,
      );
    });
  }
});
