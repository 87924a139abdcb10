import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLA_STYLE } from '../../components/sla-style';
import { evaluateLead } from '../../lib/evaluate';
import { stageLabel } from '../../lib/lead-view';
import { defaultRuleSet } from '../../lib/rules/defaults';
import { crmFixtures, fixtureHtml } from './fixtures';
import { type Harness, launch } from './harness';

/** A fixed time the extension sees, so its evaluation and the test's agree to the millisecond's rounding. */
const NOW = Date.parse('2026-11-25T10:30:00+09:00');

/**
 * Our fixtures carry the vendors' markup, not their stylesheets. Salesforce's gives an avatar a fixed
 * box (SLDS .slds-avatar_x-small, 1.25rem): without it, the user picture the harness never serves turns
 * into a broken-image box after the first paint, and that move of the page's own text is what the
 * docked-panel check below would count, whenever a busy machine paints before the image fails.
 */
function withAvatarSize(html: string): string {
  return html.replace(
    '<head>',
    '<head><style>.slds-avatar{display:inline-block;overflow:hidden;width:1.25rem;height:1.25rem}</style>',
  );
}

// Record pages and list views each get a fresh profile: a list chip deliberately reuses what the browser
// read on the record page before (activities), which a fields-only expectation would not include.
describe.each(['record', 'list'] as const)('overlays on every CRM %s page, in real Chromium', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await launch();
    for (const fixture of crmFixtures) h.serve(fixture.url, withAvatarSize(fixtureHtml(fixture)));
    await h.setClock(NOW);
  });
  afterAll(async () => h?.close());

  for (const fixture of crmFixtures.filter((f) => f.kind === kind && !f.unreadable)) {
    it(`${fixture.crm} ${fixture.kind} (${fixture.lang}): ${fixture.file}`, async () => {
      const tab = await h.open(fixture.url);
      const hosts = tab.locator('baton-lead');
      await expect.poll(() => hosts.count(), { timeout: 10_000 }).toBe(fixture.expected.length);
      // Give late mutations a moment: nothing else may get an overlay afterwards.
      await tab.waitForTimeout(200);
      expect(await hosts.count()).toBe(fixture.expected.length);

      const shown = await hosts.evaluateAll((els) =>
        els.map(
          (el) =>
            ({
              ...(el as HTMLElement).dataset,
              text: el.shadowRoot?.textContent ?? '',
            }) as Record<string, string | undefined>,
        ),
      );
      expect(shown.map((s) => s.recordId).sort()).toEqual(fixture.expected.map((e) => e.recordId).sort());
      for (const lead of fixture.expected) {
        const host = shown.find((s) => s.recordId === lead.recordId)!;
        const evaluation = evaluateLead(
          defaultRuleSet,
          {
            crm: fixture.crm,
            object: lead.object,
            recordId: lead.recordId,
            fields: lead.fields,
            activities: lead.activities ?? [],
          },
          { now: NOW },
        );
        // A list row is read before its record page: the chip shows what the columns give, marked
        // partial (unknown is not zero), with no grade; "not read yet" when the columns score nothing.
        const partial = fixture.kind === 'list';
        const unread = partial && evaluation.scores.total === 0 && !evaluation.handoff;
        expect(host).toMatchObject({
          crm: fixture.crm,
          object: lead.object,
          kind: fixture.kind === 'record' ? 'panel' : 'chip',
          grade: partial ? '' : evaluation.fitGrade,
          slaState: expect.stringMatching(/^(none|running|due_soon|overdue|met|missed)$/),
        });
        expect(host.partial).toBe(partial ? 'true' : undefined);
        if (unread) expect(host.score).toBe('');
        else expect(Math.abs(Number(host.score) - evaluation.scores.total)).toBeLessThanOrEqual(1);
        expect(host.slaState).toBe(evaluation.sla.state);
        // What the rep reads says the same as the attributes: the score, and the stage in words (the
        // browser runs in English).
        expect(host.text).toContain(
          kind === 'record' ? `Score ${host.score}` : unread ? 'Not read yet' : `${host.score} · partial`,
        );
        if (partial && evaluation.stage === 'new') expect(host.text).not.toContain('New');
        else expect(host.text).toContain(stageLabel(evaluation.stage, 'en'));
        if (partial && evaluation.sla.state === 'none') expect(host.text).not.toContain('No SLA');
        if (kind === 'record') {
          // What to do, and whose lead it is, beside the countdown.
          if (lead.fields.owner) expect(host.text).toContain(`Owner: ${lead.fields.owner}`);
          if (evaluation.handoff && evaluation.firstContactAt === null && !evaluation.exclusion)
            expect(host.text).toContain('Next step: first contact by call, email or meeting');
        }
        if (evaluation.sla.dueAt !== undefined) expect(Date.parse(host.slaDue!)).toBe(evaluation.sla.dueAt);
        else expect(host.slaDue).toBe('');
      }
      if (kind === 'record') {
        // Docked, out of the page's flow: the CRM's content never moves under the rep's pointer
        // (Chromium's layout-shift entries count every move of the page's own boxes).
        const docked = await tab.evaluate(
          () =>
            new Promise<{ position: string; inView: boolean; moved: string[] }>((done) => {
              const host = document.querySelector('baton-lead')!;
              const box = host.getBoundingClientRect();
              // The page's own boxes that moved; the docked panel growing by a line moves only its own text.
              const moved: string[] = [];
              const ours = (node: Node | null) =>
                node !== null &&
                (node.nodeName === 'BATON-LEAD' ||
                  node.nodeName === 'BATON-DOCK' ||
                  (node as Element).closest?.('baton-lead') != null ||
                  (node.getRootNode() as ShadowRoot).host?.nodeName === 'BATON-LEAD');
              new PerformanceObserver((list) => {
                for (const entry of list.getEntries()) {
                  const { value, sources } = entry as unknown as {
                    value: number;
                    sources: { node: Node | null }[];
                  };
                  for (const { node } of sources)
                    if (!ours(node))
                      moved.push(`${node?.nodeName ?? 'a removed node'} (${value.toFixed(4)})`);
                }
              }).observe({ type: 'layout-shift', buffered: true });
              setTimeout(
                () =>
                  done({
                    // The panel sits in the dock, the fixed box made before the page's first frame.
                    position: `${host.parentElement!.nodeName} ${getComputedStyle(host.parentElement!).position}`,
                    inView:
                      box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth,
                    moved,
                  }),
                50,
              );
            }),
        );
        expect(docked).toEqual({ position: 'BATON-DOCK fixed', inView: true, moved: [] });
      }
      await tab.close();
    });
  }
});

describe('the docked record panel', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await launch();
  });
  afterAll(async () => h?.close());

  it('folds to its first line from the keyboard, and unfolds', async () => {
    const record = crmFixtures.find((f) => f.file === 'salesforce/record-layout-en.html')!;
    h.serve(record.url, fixtureHtml(record));
    const tab = await h.open(record.url);
    const panel = tab.locator('baton-lead[data-kind="panel"]');
    await panel.getByRole('button', { name: 'Hide details' }).focus();
    await tab.keyboard.press('Enter');
    const show = panel.getByRole('button', { name: 'Show details' });
    await expect.poll(() => show.getAttribute('aria-expanded')).toBe('false');
    // The first line (score, stage, due) stays; the explanation folds away.
    expect(await panel.locator('.sla').isVisible()).toBe(true);
    expect(await panel.locator('.why').isVisible()).toBe(false);
    expect(await panel.getByRole('button', { name: 'Send feedback' }).isVisible()).toBe(true);
    await show.press('Enter');
    await expect.poll(() => panel.locator('.why').isVisible()).toBe(true);
    // The score's reasons open from the keyboard too, and say so.
    const why = panel.locator('[data-action="why"]');
    expect(await panel.locator('#baton-why').isVisible()).toBe(false);
    await why.press('Enter');
    await expect.poll(() => why.getAttribute('aria-expanded')).toBe('true');
    expect(await panel.locator('#baton-why li').first().isVisible()).toBe(true);
    // The state's colour comes from the shared stylesheet, keyed by the host's data-sla-state.
    const state = (await panel.getAttribute('data-sla-state')) as keyof typeof SLA_STYLE;
    const hex = SLA_STYLE[state].color;
    const rgb = `rgb(${[1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
    expect(await panel.locator('.sla').evaluate((el) => getComputedStyle(el).color)).toBe(rgb);
    await tab.close();
  });

  it('is in a dock made before the page’s own DOMContentLoaded handlers run', async () => {
    const record = crmFixtures.find((f) => f.file === 'salesforce/record-layout-en.html')!;
    // The page's listener is added while it parses, after the dock's script (document_start) added its own.
    const probe = `<script>document.addEventListener('DOMContentLoaded', () => {
      document.documentElement.dataset.dockAtLoad = String(document.querySelector('html > baton-dock') !== null);
    });</script>`;
    const html = fixtureHtml(record);
    h.serve(
      record.url,
      /<\/head>/i.test(html) ? html.replace(/<\/head>/i, `${probe}</head>`) : `${probe}${html}`,
    );
    const tab = await h.open(record.url);
    const panel = tab.locator('html > baton-dock > baton-lead[data-kind="panel"][data-score]');
    await panel.waitFor();
    expect(await tab.evaluate(() => document.documentElement.dataset.dockAtLoad)).toBe('true');
    expect(await tab.locator('baton-dock').count()).toBe(1);
    await tab.close();
  });

  it('docks, and answers the mouse, on a page whose CSP allows no script or style of its own', async () => {
    const record = crmFixtures.find((f) => f.file === 'salesforce/record-layout-en.html')!;
    // The loader's import and the dock's adopted sheet are the extension's, not the page's, to allow.
    const csp = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'">`;
    const html = fixtureHtml(record);
    h.serve(record.url, /<head>/i.test(html) ? html.replace(/<head>/i, `<head>${csp}`) : `${csp}${html}`);
    const tab = await h.open(record.url);
    const panel = tab.locator('baton-lead[data-kind="panel"][data-score]');
    await panel.waitFor();
    expect(await tab.locator('baton-dock').evaluate((dock) => getComputedStyle(dock).position)).toBe('fixed');
    // A real click at the button's place: the dock takes no pointer events, the panel in it does.
    await panel.getByRole('button', { name: 'Hide details' }).click();
    await expect.poll(() => panel.getByRole('button', { name: 'Show details' }).count()).toBe(1);
    await tab.close();
  });
});

describe('a list chip after the record was opened', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await launch();
    for (const fixture of crmFixtures) h.serve(fixture.url, fixtureHtml(fixture));
    await h.setClock(NOW);
  });
  afterAll(async () => h?.close());

  it('agrees with the record panel, which saw the activity history the list does not show', async () => {
    const record = crmFixtures.find((f) => f.file === 'salesforce/record-layout-en.html')!;
    const list = crmFixtures.find((f) => f.file === 'salesforce/list-en.html')!;
    const recordId = record.expected[0]!.recordId;
    const recordTab = await h.open(record.url);
    const panel = recordTab.locator(`baton-lead[data-record-id="${recordId}"]`);
    await expect.poll(() => panel.getAttribute('data-score')).toMatch(/^\d+$/);
    const panelScore = await panel.getAttribute('data-score');
    const panelStage = await panel.getAttribute('data-stage');

    const listTab = await h.open(list.url);
    const chip = listTab.locator(`baton-lead[data-record-id="${recordId}"]`);
    await expect.poll(() => chip.getAttribute('data-score')).toBe(panelScore);
    expect(await chip.getAttribute('data-stage')).toBe(panelStage);
  });
});

describe.each([
  ['en-US', 'Baton could not read the fields on this page', 'Score and grade are unknown (not zero).'],
  ['ja', 'Baton: この画面の項目を読み取れませんでした', 'スコアとランクは不明です（0点ではありません）。'],
] as const)('a recognised record with nothing readable, in %s', (locale, title, unknown) => {
  let h: Harness;
  beforeAll(async () => {
    h = await launch({ locale });
    for (const fixture of crmFixtures) h.serve(fixture.url, fixtureHtml(fixture));
    await h.setClock(NOW);
  });
  afterAll(async () => h?.close());

  for (const fixture of crmFixtures.filter((f) => f.unreadable)) {
    it(`gets a panel that says so, with no score, and a report without values: ${fixture.file}`, async () => {
      const tab = await h.open(fixture.url);
      const [lead] = fixture.expected;
      const panel = tab.locator('baton-lead');
      await expect.poll(() => panel.count(), { timeout: 10_000 }).toBe(1);
      expect(await panel.getAttribute('data-record-id')).toBe(lead!.recordId);
      expect(await panel.getAttribute('data-read')).toBe('none');
      // Unknown is not zero: no score or grade is shown or carried.
      expect(await panel.getAttribute('data-score')).toBeNull();
      expect(await panel.getAttribute('data-grade')).toBeNull();
      const text = await panel.evaluate((el) => el.shadowRoot?.textContent ?? '');
      expect(text).toContain(title);
      expect(text).toContain(unknown);
      expect(text).not.toMatch(/Score \d|スコア \d/);

      await panel.locator('button[data-action="report"]').click();
      const report = panel.locator('pre');
      await expect.poll(() => report.textContent()).toContain('Zoho CRM');
      const body = (await report.textContent()) ?? '';
      expect(body).toContain('record');
      expect(body).not.toContain(lead!.recordId);
      for (const value of ['森田', 'morita']) expect(body).not.toContain(value);
      await tab.close();
    });
  }
});
