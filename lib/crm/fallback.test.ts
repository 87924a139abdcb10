// @vitest-environment happy-dom
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dropFieldsNotOnThePage,
  fallbackListRows,
  labelStarts,
  labelsFor,
  mayOpenLabel,
  readFallback,
} from './fallback';
import type { CrmFieldMapping } from './mapping';
import { normalizeLabel } from './read';

const mapping: CrmFieldMapping = {
  company: { codes: ['Company', 'org_id'], labels: { ja: ['会社名'], en: ['Company'] } },
  title: { codes: ['Title'], labels: { ja: ['役職'], en: ['Title'] } },
  industry: { codes: ['Industry'], labels: { ja: ['業種'], en: ['Industry'] } },
  email: { codes: ['Email'], labels: { ja: ['メール'], en: ['Email'] } },
};
const all = new Set(Object.keys(mapping));

function page(html: string): Document {
  return new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
}

function read(html: string, outside: string[] = []) {
  return readFallback({ root: page(html), outside }, mapping, all);
}

describe('reading fields by label when selectors miss', () => {
  it('pairs labels with values through dt/dd, th/td, label[for] and aria-labelledby', () => {
    const { fields, tiers } = read(`
      <dl><dt>会社名</dt><dd>株式会社サンプル</dd></dl>
      <table><tr><th>役職</th><td>部長</td></tr></table>
      <label for="ind">Industry</label><input id="ind" value="Manufacturing">
      <span id="l1">Email:</span><div aria-labelledby="l1">a@b.example</div>`);
    expect(fields).toEqual({
      company: '株式会社サンプル',
      title: '部長',
      industry: 'Manufacturing',
      email: 'a@b.example',
    });
    expect(tiers).toEqual({ company: 'label', title: 'label', industry: 'label', email: 'label' });
  });

  it('finds a label behind leading white space of any kind, full-width and no-break included', () => {
    const { fields } = read(`
      <div><span>\u3000会社名</span><span>全角スペース株式会社</span></div>
      <div><span>\u00a0\n Title</span><span>CTO</span></div>`);
    expect(fields).toEqual({ company: '全角スペース株式会社', title: 'CTO' });
  });

  it('finds labels the text of the whole page shows differently: spaced, cased, starred', () => {
    // Each label occurs in the page's text only after the same normalising as an element's text gets:
    // a check of the page's text that skipped a step would drop the field before the walk looks for it.
    const spaced: CrmFieldMapping = {
      ...mapping,
      company: { codes: [], labels: { ja: ['会社名'], en: ['Company Name'] } },
    };
    const { fields } = readFallback(
      {
        root: page(`
          <div><span>\n  会社名\n</span><span>改行の株式会社</span></div>
          <div><span>* INDUSTRY　：</span><span>製造業</span></div>
          <div><span>Title
	</span><span>CTO</span></div>`),
        outside: [],
      },
      spaced,
      all,
    );
    expect(fields).toEqual({ company: '改行の株式会社', industry: '製造業', title: 'CTO' });
    const english = readFallback(
      { root: page('<div><span>COMPANY\n   NAME:</span><span>Spaced Co</span></div>'), outside: [] },
      spaced,
      all,
    );
    expect(english.fields).toEqual({ company: 'Spaced Co' });
  });

  it('reads a scope that is an element, not only a document', () => {
    const doc = page(
      '<main><dl><dt>業種</dt><dd>小売業</dd></dl></main><dl><dt>役職</dt><dd>外の役職</dd></dl>',
    );
    const { fields } = readFallback({ root: doc.querySelector('main')!, outside: [] }, mapping, all);
    expect(fields).toEqual({ industry: '小売業' });
  });

  it('stops seeking only the fields whose labels the page cannot show', () => {
    const labels = labelsFor(
      {
        ...mapping,
        company: { codes: [], labels: { ja: ['会社名'], en: ['Company Name'] } },
        region: { codes: [], labels: { ja: [], en: ['ΟΔΟΣ'] } },
        createdAt: { codes: [], labels: { ja: ['作成日'], en: ['Created'] } },
      },
      {},
    );
    const sought = () => new Set(['company', 'industry', 'region', 'createdAt', 'email']);
    const left = sought();
    // Spaced with a tab, a no-break and an ideographic space; upper case; Greek sigma mid-word (it
    // lower-cases to σ here, to ς in the label's own last letter).
    dropFieldsNotOnThePage(
      page('<p>COMPANY\t\u00a0\u3000NAME: x</p><p>*INDUSTRY</p><p>ΟΔΟΣAthens</p>'),
      labels,
      left,
    );
    expect([...left].sort()).toEqual(['company', 'industry', 'region']);
    // The scope's text only, not the rest of the document's.
    const doc = page('<main><p>メール</p></main><p>作成日</p>');
    const inMain = sought();
    dropFieldsNotOnThePage(doc.querySelector('main')!, labels, inMain);
    expect([...inMain].sort()).toEqual(['email', 'region']);
  });

  it("reads the same with and without asking which labels the page shows, past the walk's first 500 text nodes", () => {
    // Filler before the fields (so the walk asks) and a mapped field the page lacks (so the answer
    // matters): the fields after the filler are still read.
    const withCreated: CrmFieldMapping = {
      ...mapping,
      createdAt: { codes: [], labels: { ja: ['作成日'], en: ['Created'] } },
    };
    const filler = '<span>x</span>'.repeat(600);
    const { fields } = readFallback(
      {
        root: page(
          `${filler}<dl><dt>会社名</dt><dd>後ろの株式会社</dd><dt>Email</dt><dd>a@b.example</dd></dl>`,
        ),
        outside: [],
      },
      withCreated,
      new Set([...all, 'createdAt']),
    );
    expect(fields).toEqual({ company: '後ろの株式会社', email: 'a@b.example' });
  });

  it('matches a hook code whole or after a separator, in any case, the longest first', () => {
    // "id" is another field's code and a shorter suffix of "detail-field-ORG_ID": org_id must win.
    const withId: CrmFieldMapping = { ...mapping, email: { ...mapping.email!, codes: ['Email', 'id'] } };
    const { fields, tiers } = readFallback(
      {
        root: page(`
          <div data-field="detail-field-ORG_ID">Suffix Co</div>
          <div data-testid="title">Whole Title</div>
          <div data-test-id="x.industry-not">Not a code</div>`),
        outside: [],
      },
      withId,
      all,
    );
    expect(fields).toEqual({ company: 'Suffix Co', title: 'Whole Title' });
    expect(tiers).toEqual({ company: 'hook', title: 'hook' });
  });

  it('never takes the next field for an empty one', () => {
    const { fields } = read(`
      <div><span>Company</span><span></span></div>
      <div><span>Title</span><span>CTO</span></div>`);
    expect(fields).toEqual({ title: 'CTO' });
  });

  it('skips hidden copies, list grids and regions the adapter names as other records', () => {
    const { fields } = read(
      `<div hidden><span>Company</span><span>Stale Co</span></div>
       <div role="grid"><div role="row"><span>Title</span><span>Grid title</span></div></div>
       <section class="related"><span>Industry</span><span>Other record</span></section>
       <div><span>Company</span><span>Live Co</span></div>`,
      ['.related'],
    );
    expect(fields).toEqual({ company: 'Live Co' });
  });

  it('reads a code hook before any label, and a label hook pairs with its value', () => {
    const { fields, tiers } = read(`
      <div data-zcqa="dtVw_lbl_INDUSTRY">Sector</div><div>Retail</div>
      <div data-test-key="org_id"><span>Company</span><div>Hooked Co</div></div>
      <div><span>Company</span><span>Label Co</span></div>`);
    expect(fields).toEqual({ industry: 'Retail', company: 'Hooked Co' });
    expect(tiers).toEqual({ industry: 'hook', company: 'hook' });
  });

  it('keeps page text as text: markup in a value is never parsed or run', () => {
    const doc = page(`<dl><dt>Company</dt><dd>&lt;img src=x onerror="window.__pwned=1"&gt;</dd></dl>`);
    const { fields } = readFallback({ root: doc, outside: [] }, mapping, all);
    expect(fields.company).toBe('<img src=x onerror="window.__pwned=1">');
    expect((globalThis as { __pwned?: number }).__pwned).toBeUndefined();
  });
});

describe('list rows from record links', () => {
  it('makes one row per linked lead, names columns by header, and ignores links outside rows', () => {
    const doc = page(`
      <a href="/r/9">breadcrumb</a>
      <table><thead><tr><th></th><th>Company</th><th>Title</th></tr></thead>
      <tbody><tr><td><a href="/r/1">open</a></td><td>A Co</td><td>CEO</td></tr>
      <tr><td></td><td>no link</td><td></td></tr></tbody></table>`);
    const rows = fallbackListRows(
      doc,
      new URL('https://crm.example/list'),
      (url) => {
        const id = /^\/r\/(\d+)$/.exec(url.pathname)?.[1];
        return id ? { crm: 'kintone', object: '1', recordId: id } : null;
      },
      mapping,
    );
    expect(rows.map((r) => [r.key.recordId, r.fields])).toEqual([['1', { company: 'A Co', title: 'CEO' }]]);
  });
});

describe('the first-letter check the label tier runs on every text node', () => {
  it('never passes over a text that reads as a label, whatever its spacing, case and marks', () => {
    const labelMapping: CrmFieldMapping = {
      ...mapping,
      email: { codes: [], labels: { ja: ['Ｅメール', 'メール'], en: ['E-mail', 'Email'] } },
      other: { codes: [], labels: { ja: ['ＳＬＡ期限', '業種'], en: ['İsim', 'Σtatus', 'Lead Source'] } },
    };
    const labels = labelsFor(labelMapping, {});
    const starts = labelStarts(labels);
    // As a page shows them: the mapping's own spellings, not their normalised keys.
    const shown = Object.values(labelMapping).flatMap((source) => [...source.labels.ja, ...source.labels.en]);
    const spaces = [' ', '\t', '\n', '\u00a0', '\u3000', '\u2003'];
    const text = fc
      .tuple(
        fc.array(fc.constantFrom(...spaces), { maxLength: 3 }),
        fc.boolean(),
        fc.constantFrom(...shown, 'company', 'zzz', 'x', '株式会社'),
        fc.constantFrom('', ':', ' *', '：', ' : '),
        fc.constantFrom('lower', 'upper', 'as shown'),
      )
      .map(([lead, star, label, tail, caseOf]) => {
        const word =
          caseOf === 'upper' ? label.toUpperCase() : caseOf === 'lower' ? label.toLowerCase() : label;
        return `${lead.join('')}${star ? '* ' : ''}${word}${tail}`;
      });
    let labelTexts = 0;
    fc.assert(
      fc.property(fc.oneof(text, fc.string()), (raw) => {
        if (!labels.has(normalizeLabel(raw))) return;
        labelTexts++;
        expect(mayOpenLabel(raw, starts), JSON.stringify(raw)).toBe(true);
      }),
      { numRuns: 3000 },
    );
    // The cases above did reach the check, the İ that lower-cases to two characters among them.
    expect(labelTexts).toBeGreaterThan(500);
    expect(mayOpenLabel('İsim:', starts)).toBe(true);
    // And it does pass over most text: a page's filler and values.
    expect(['x', '12', 'Acme', '  42'].filter((t) => mayOpenLabel(t, starts))).toEqual([]);
  });
});
