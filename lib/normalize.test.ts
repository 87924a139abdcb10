import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DATE_PATTERN_NEEDS,
  normalizeText,
  normalizeTextCached,
  parseCount,
  parseDisplayDate,
  parseInstant,
  zonedTimeToInstant,
} from './normalize';

const tokyo = { timeZone: 'Asia/Tokyo' };

describe('normalizeText', () => {
  it('folds full-width letters and digits to ASCII and lower case', () => {
    expect(normalizeText('ＳａａＳ　ＡＢＣ１２３')).toBe('saas abc123');
  });

  it('turns half-width katakana into full-width and collapses runs of spaces', () => {
    expect(normalizeText('  ｼｽﾃﾑ   部長 ')).toBe('システム 部長');
  });

  it('gives the same answer through the memo as without it', () => {
    for (const s of ['Viewed /Pricing', 'ＰＤＦ資料', 'a  b', 'plain ascii', 'タブ\tあり']) {
      expect(normalizeTextCached(s)).toBe(normalizeText(s));
      expect(normalizeTextCached(s)).toBe(normalizeText(s));
    }
  });
});

describe('parseCount', () => {
  it.each([
    ['1,250', { min: 1250, max: 1250, approximate: false }],
    ['1,250名', { min: 1250, max: 1250, approximate: false }],
    ['１，２５０名', { min: 1250, max: 1250, approximate: false }],
    ['1000人以上', { min: 1000, max: null, approximate: false }],
    ['1,000+', { min: 1000, max: null, approximate: false }],
    ['10,000 or more', { min: 10000, max: null, approximate: false }],
    ['100-499', { min: 100, max: 499, approximate: false }],
    ['10～50名', { min: 10, max: 50, approximate: false }],
    ['10〜50名', { min: 10, max: 50, approximate: false }],
    ['100人～499人', { min: 100, max: 499, approximate: false }],
    ['51-200 employees', { min: 51, max: 200, approximate: false }],
    ['1 to 10', { min: 1, max: 10, approximate: false }],
    ['約300', { min: 300, max: 300, approximate: true }],
    ['300名程度', { min: 300, max: 300, approximate: true }],
    ['about 300', { min: 300, max: 300, approximate: true }],
    ['1.2万人', { min: 12000, max: 12000, approximate: false }],
    ['5千名', { min: 5000, max: 5000, approximate: false }],
    ['500人未満', { min: 0, max: 499, approximate: false }],
    ['50名以下', { min: 0, max: 50, approximate: false }],
    ['more than 1000', { min: 1001, max: null, approximate: false }],
    ['10人以上50人未満', { min: 10, max: 49, approximate: false }],
  ])('reads %s', (text, expected) => {
    expect(parseCount(text)).toEqual(expected);
  });

  it('returns null when the text holds no number', () => {
    expect(parseCount('不明')).toBeNull();
    expect(parseCount('')).toBeNull();
  });
});

// Text as CRMs show dates: the pieces every date pattern is made of, joined in any order (issue 18).
const dateText = fc
  .array(
    fc.constantFrom(
      ...['0', '1', '2', '9', '12', '2026', '/', '-', '.', ':', ',', ' ', '  ', '\t', '+', '(', ')', 't'],
      ...['年', '月', '日', '時', '分', '午前', '午後', '令和', '元', '今日', '１２', '\u3000'],
      ...['am', 'pm', 'a.m.', 'p.m.', 'jst', 'utc', 'gmt+9', 'mar', 'sept', 'may', 'th', 'today', 'x', 'é'],
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

describe('the fast paths of reading dates', () => {
  it('normalizeText gives the plain NFKC form for every text', () => {
    const plain = (value: string) => value.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
    fc.assert(
      fc.property(fc.oneof(dateText, fc.string(), fc.string({ unit: 'binary' })), (text) => {
        expect(normalizeText(text)).toBe(plain(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('tries a date pattern only on text it could match', () => {
    fc.assert(
      fc.property(dateText, (raw) => {
        const text = normalizeText(raw);
        for (const [pattern, needs] of DATE_PATTERN_NEEDS)
          if (pattern.test(text)) expect(needs(text)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('parseInstant', () => {
  it('agrees with Date.parse on ISO instants with offsets, Z and fractions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        fc.constantFrom(0, 1, 3, 6),
        (epoch, offsetMinutes, fraction) => {
          const local = new Date(epoch + offsetMinutes * 60_000).toISOString().slice(0, 19);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const abs = Math.abs(offsetMinutes);
          const offset =
            offsetMinutes === 0
              ? 'Z'
              : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          const frac = fraction === 0 ? '' : `.${String(epoch % 10 ** fraction).padStart(fraction, '0')}`;
          const iso = `${local}${frac}${offset}`;
          expect(parseInstant(iso)).toBe(Date.parse(iso));
        },
      ),
    );
  });

  it('reads an instant without seconds, and one beyond the fast table', () => {
    expect(parseInstant('2026-11-25T14:05+09:00')).toBe(Date.parse('2026-11-25T05:05:00Z'));
    expect(parseInstant('2124-02-29T00:00:00Z')).toBe(Date.parse('2124-02-29T00:00:00Z'));
    expect(parseInstant('1969-12-31T23:59:59Z')).toBe(-1000);
  });

  it('gives NaN for text that is not an ISO instant', () => {
    expect(parseInstant('2026/11/25 14:05')).toBeNaN();
    expect(parseInstant('2026-11-25T14:05:00')).toBeNaN();
    expect(parseInstant('2026-13-25T14:05:00Z')).toBeNaN();
    expect(parseInstant('2026-02-30T14:05:00Z')).toBeNaN();
    expect(parseInstant('2O26-11-25T14:05:00Z')).toBeNaN();
    expect(parseInstant('2026-11-25T14:05:00+09:00 ')).toBeNaN();
  });
});

describe('zonedTimeToInstant', () => {
  it('reads a wall time in Tokyo as UTC+9', () => {
    expect(zonedTimeToInstant({ year: 2026, month: 11, day: 25, hour: 14, minute: 5 }, 'Asia/Tokyo')).toBe(
      Date.parse('2026-11-25T05:05:00Z'),
    );
  });

  it('moves a wall time skipped by the New York spring-forward jump forward by an hour', () => {
    expect(
      zonedTimeToInstant({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York'),
    ).toBe(Date.parse('2026-03-08T07:30:00Z'));
  });

  it('reads a repeated New York wall time as its first occurrence', () => {
    expect(
      zonedTimeToInstant({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York'),
    ).toBe(Date.parse('2026-11-01T05:30:00Z'));
  });
});

describe('parseDisplayDate', () => {
  const now = Date.parse('2026-11-30T03:00:00Z');
  const at = (iso: string) => Date.parse(iso);

  it.each([
    ['2026/11/25 14:05', '2026-11-25T14:05:00+09:00'],
    ['2026/11/25 14:05:30', '2026-11-25T14:05:30+09:00'],
    ['2026/11/25', '2026-11-25T00:00:00+09:00'],
    ['2026-11-25 14:05', '2026-11-25T14:05:00+09:00'],
    ['２０２６／１１／２５　１４：０５', '2026-11-25T14:05:00+09:00'],
    ['2026年11月25日', '2026-11-25T00:00:00+09:00'],
    ['2026年11月25日 14:05', '2026-11-25T14:05:00+09:00'],
    ['2026年11月25日(水) 14時05分', '2026-11-25T14:05:00+09:00'],
    ['2026/11/25(水) 午後2:05', '2026-11-25T14:05:00+09:00'],
    ['令和8年11月25日', '2026-11-25T00:00:00+09:00'],
    ['11月25日 14:05', '2026-11-25T14:05:00+09:00'],
    ['11/25/2026 2:05 PM', '2026-11-25T14:05:00+09:00'],
    ['11/25/2026, 12:05 AM', '2026-11-25T00:05:00+09:00'],
    ['Nov 25, 2026', '2026-11-25T00:00:00+09:00'],
    ['November 25, 2026 2:05 pm', '2026-11-25T14:05:00+09:00'],
    ['Wed, Nov 25, 2026, 2 PM', '2026-11-25T14:00:00+09:00'],
    ['25 Nov 2026', '2026-11-25T00:00:00+09:00'],
    ['25/11/2026', '2026-11-25T00:00:00+09:00'],
    ['2026/11/25 05:05 UTC', '2026-11-25T05:05:00Z'],
    ['2026/11/25 14:05 GMT+9', '2026-11-25T05:05:00Z'],
    ['2026-11-25T14:05:00+09:00', '2026-11-25T05:05:00Z'],
  ])('reads %s in Tokyo', (text, iso) => {
    expect(parseDisplayDate(text, { ...tokyo, now })).toBe(at(iso));
  });

  it('reads an ambiguous slash date month first by default and day first with a day-first locale', () => {
    expect(parseDisplayDate('03/04/2026', tokyo)).toBe(at('2026-03-04T00:00:00+09:00'));
    expect(parseDisplayDate('03/04/2026', { ...tokyo, locale: 'en-US' })).toBe(
      at('2026-03-04T00:00:00+09:00'),
    );
    expect(parseDisplayDate('03/04/2026', { ...tokyo, locale: 'en-GB' })).toBe(
      at('2026-04-03T00:00:00+09:00'),
    );
  });

  it('reads times in the context zone, DST included', () => {
    expect(parseDisplayDate('07/04/2026 9:00 AM', { timeZone: 'America/New_York' })).toBe(
      at('2026-07-04T13:00:00Z'),
    );
    expect(parseDisplayDate('01/04/2026 9:00 AM', { timeZone: 'America/New_York' })).toBe(
      at('2026-01-04T14:00:00Z'),
    );
  });

  it('places a date without a year in the year closest to now', () => {
    const newYearsEve = Date.parse('2026-12-30T03:00:00Z');
    expect(parseDisplayDate('1月2日', { ...tokyo, now: newYearsEve })).toBe(at('2027-01-02T00:00:00+09:00'));
    expect(parseDisplayDate('12月1日', { ...tokyo, now: newYearsEve })).toBe(at('2026-12-01T00:00:00+09:00'));
    expect(parseDisplayDate('Dec 31', { ...tokyo, now: Date.parse('2027-01-02T00:00:00Z') })).toBe(
      at('2026-12-31T00:00:00+09:00'),
    );
  });

  it('needs now to read a date without a year', () => {
    expect(parseDisplayDate('11月25日', tokyo)).toBeNull();
  });

  // parseDisplayDate reads "2026/11/25 14:05" by hand before any regex (readSimpleDate). Its answers are
  // held here to ones worked out from the calendar itself: Date.UTC's round trip says whether the day
  // exists, Tokyo is UTC+9 all year, and every other spacing must read as plain spaces do.
  it('reads year/month/day dates with any digits, separators and spacing as the calendar says', () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    fc.assert(
      fc.property(
        fc.record({
          year: fc.integer({ min: 1970, max: 2099 }),
          month: fc.integer({ min: 0, max: 13 }),
          day: fc.integer({ min: 0, max: 32 }),
          time: fc.option(
            fc.record({
              hour: fc.integer({ min: 0, max: 25 }),
              minute: fc.integer({ min: 0, max: 60 }),
              second: fc.option(fc.integer({ min: 0, max: 60 })),
            }),
          ),
          padded: fc.boolean(),
          separator: fc.constantFrom('/', '-'),
          space: fc.constantFrom(' ', '\t', '  ', ' \t', '\u3000', '\u00a0'),
        }),
        ({ year, month, day, time, padded, separator, space }) => {
          const digits = (n: number) => (padded ? pad(n, 2) : String(n));
          let text = `${year}${separator}${digits(month)}${separator}${digits(day)}`;
          if (time) {
            text += `${space}${digits(time.hour)}:${pad(time.minute, 2)}`;
            if (time.second !== null) text += `:${pad(time.second, 2)}`;
          }
          const utc = new Date(Date.UTC(year, month - 1, day));
          const exists =
            month >= 1 &&
            utc.getUTCMonth() === month - 1 &&
            utc.getUTCDate() === day &&
            utc.getUTCFullYear() === year;
          const clock = time ?? { hour: 0, minute: 0, second: 0 };
          const second = clock.second ?? 0;
          const valid = exists && clock.hour <= 23 && clock.minute <= 59 && second <= 59;
          const expected = valid
            ? Date.UTC(year, month - 1, day, clock.hour - 9, clock.minute, second)
            : null;
          expect(parseDisplayDate(text, tokyo)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rejects dates that do not exist and text that is no date', () => {
    expect(parseDisplayDate('2026/02/30', tokyo)).toBeNull();
    expect(parseDisplayDate('2026/11/25 25:00', tokyo)).toBeNull();
    expect(parseDisplayDate('未設定', tokyo)).toBeNull();
    expect(parseDisplayDate('', tokyo)).toBeNull();
  });
});
