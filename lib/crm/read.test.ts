// @vitest-environment happy-dom
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clean,
  columnKeys,
  fieldValue,
  isHidden,
  normalizeLabel,
  queryAll,
  readFields,
  visibleText,
  withCode,
} from './read';

const html = (markup: string) => new DOMParser().parseFromString(markup, 'text/html').body;

describe('reading page text', () => {
  it('collapses whitespace, including full-width spaces, and caps length', () => {
    expect(clean('  株式会社\u3000サンプル \n 製作所 ')).toBe('株式会社 サンプル 製作所');
    expect(clean('x'.repeat(3000))).toHaveLength(2000);
  });

  it('leaves out assistive text and buttons beside a value', () => {
    const body = html(
      '<span>Acme<span class="slds-assistive-text">Edit Company</span><button>Change</button></span>',
    );
    expect(visibleText(body.firstElementChild!)).toBe('Acme');
  });

  it('reads the value a control holds, not its markup', () => {
    const body = html(
      '<input value="Head of IT"><select><option>A</option><option selected>B</option></select><textarea>note</textarea><input type="checkbox" checked>',
    );
    const [input, select, textarea, checkbox] = [...body.children];
    expect(fieldValue(input!)).toBe('Head of IT');
    expect(fieldValue(select!)).toBe('B');
    expect(fieldValue(textarea!)).toBe('note');
    expect(fieldValue(checkbox!)).toBe('true');
  });

  it('normalises labels for comparison', () => {
    expect(normalizeLabel('* Company:')).toBe('company');
    expect(normalizeLabel('会社名：')).toBe('会社名');
  });

  it('escapes codes placed into attribute selectors', () => {
    expect(withCode('[data-x="{code}"]', 'a"b\\c')).toBe('[data-x="a\\"b\\\\c"]');
  });

  it('sees hidden ancestors without layout', () => {
    const body = html(
      '<div style="display: none"><p id="a">x</p></div><div hidden><p id="b">y</p></div><p id="c">z</p>',
    );
    expect(isHidden(body.querySelector('#a')!)).toBe(true);
    expect(isHidden(body.querySelector('#b')!)).toBe(true);
    expect(isHidden(body.querySelector('#c')!)).toBe(false);
  });
});

describe('queryAll', () => {
  // Nested matches, an element matching two selectors, matches of a later selector before an earlier
  // one's: the one-selector-at-a-time answer must be the selector list's, element for element.
  const body = html(`
    <section id="s1" class="card" data-field="a">
      <div id="d1" data-test-id="x"><span id="p1" class="card">one</span></div>
      <ul id="u1"><li id="l1" data-field="b" class="row">1</li><li id="l2" class="row">2</li></ul>
    </section>
    <div id="d2" data-test-id="y" class="row"><section id="s2" class="card"><i id="i1" data-field="c"></i></section></div>
    <p id="p2">none</p>`);
  const cases: string[][] = [
    ['.card'],
    ['[data-field]', '.card'],
    ['.row', '[data-test-id]', 'section'],
    ['li', '.row', '[data-field="b"]'],
    ['i', 'div', 'ul > li', '#s1'],
    ['.missing', 'p'],
    ['.missing'],
    [],
  ];
  const ids = (els: Iterable<Element>) => [...els].map((el) => el.id);
  for (const selectors of cases) {
    it(`answers [${selectors.join(' | ')}] as the selector list does`, () => {
      const list = selectors.length > 0 ? body.querySelectorAll(selectors.join(',')) : [];
      expect(ids(queryAll(body, selectors))).toEqual(ids(list));
    });
  }
});

describe('readFields', () => {
  const mapping = {
    company: { codes: ['Company'], labels: { ja: ['会社名'], en: ['Company'] } },
    title: { codes: ['Title'], labels: { ja: ['役職'], en: ['Title'] } },
  };

  it('prefers codes, falls back to labels in either language, and leaves empty fields out', () => {
    const body = html(
      '<p data-code="Company">  </p><dl><dt>役職</dt><dd>部長</dd><dt>会社名</dt><dd>株式会社A</dd></dl>',
    );
    const fields = readFields(mapping, {
      byCode: (code) => body.querySelector(`[data-code="${code}"]`),
      pairs: function* () {
        for (const dt of body.querySelectorAll('dt'))
          yield { label: dt.textContent!, value: dt.nextElementSibling! };
      },
    });
    expect(fields).toEqual({ company: '株式会社A', title: '部長' });
  });

  it('maps list columns once, by code or by label, each field to one column', () => {
    expect(
      columnKeys(mapping, [
        { code: 'Company' },
        { label: 'Company' },
        { label: '役職' },
        { code: 'Other', label: 'Other' },
      ]),
    ).toEqual(['company', undefined, 'title', undefined]);
  });
});

// The plain forms of clean and visibleText, before their fast paths (issue 18): the reading must not change.
const plainClean = (text: string | null | undefined, max = 2000) => {
  const collapsed = (text ?? '').replace(/[\s\u00a0\u3000]+/g, ' ').trim();
  return collapsed.length > max ? collapsed.slice(0, max) : collapsed;
};
function plainVisibleText(el: Element): string {
  const out: string[] = [];
  const walk = (node: Node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) out.push(child.nodeValue ?? '');
      else if (child.nodeType === 1) {
        const e = child as Element;
        const cls = e.getAttribute('class');
        const skip =
          (e.tagName === 'BUTTON' && e.getAttribute('role') !== 'combobox') ||
          ['SCRIPT', 'STYLE', 'TEMPLATE', 'svg', 'SVG'].includes(e.tagName) ||
          e.getAttribute('aria-hidden') === 'true' ||
          (cls !== null && (cls.includes('assistive-text') || cls.includes('assistiveText')));
        if (skip) continue;
        out.push(' ');
        walk(e);
      }
    }
  };
  walk(el);
  return plainClean(out.join(''));
}

/** Every code unit JavaScript's \s matches, so the scan's list of wide spaces cannot miss one. */
const SPACES = Array.from({ length: 0x10000 }, (_, c) => String.fromCharCode(c)).filter((ch) =>
  /\s/.test(ch),
);
const pageText = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...SPACES, ' ', ' ', 'a', 'Z', '株', '\u0001', '\u0085', '\u200b'),
    fc.constant('x'),
  ),
  maxLength: 12,
});

describe('the fast paths of reading page text', () => {
  it('clean reads every string as the regular expression does', () => {
    fc.assert(
      fc.property(pageText, fc.integer({ min: 1, max: 8 }), (text, max) => {
        expect(clean(text)).toBe(plainClean(text));
        expect(clean(text, max)).toBe(plainClean(text, max));
      }),
      { numRuns: 2000 },
    );
  });

  it('visibleText reads every tree as the space-per-element walk does', () => {
    type Tree = string | { tag: string; attr: string; kids: Tree[] };
    const { tree } = fc.letrec<{ tree: Tree; node: Tree }>((tie) => ({
      tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, pageText, tie('node')),
      node: fc.record({
        tag: fc.constantFrom('span', 'div', 'b', 'button', 'script', 'lightning-formatted-text'),
        attr: fc.constantFrom(
          '',
          ' aria-hidden="true"',
          ' class="slds-assistive-text"',
          ' class="x assistiveText"',
          ' role="combobox"',
          ' class="slds-truncate"',
        ),
        kids: fc.array(tie('tree'), { maxLength: 4 }),
      }),
    }));
    const markup = (t: Tree): string =>
      typeof t === 'string'
        ? t.replace(/&/g, '&amp;').replace(/</g, '&lt;')
        : `<${t.tag}${t.attr}>${t.kids.map(markup).join('')}</${t.tag}>`;
    fc.assert(
      fc.property(fc.array(tree, { maxLength: 4 }), (kids) => {
        const cell = html(`<div>${kids.map(markup).join('')}</div>`).firstElementChild!;
        expect(visibleText(cell)).toBe(plainVisibleText(cell));
      }),
      { numRuns: 1000 },
    );
  });
});
