import Dexie, { type DBCore, type EntityTable, type Middleware } from 'dexie';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leadKeyString } from '../../lib/lead-key';
import { storedRows } from './stored-rows';

interface Row {
  key: string;
  n: number;
}

/**
 * A database whose reads are counted: `keys`, the gets by key (what `bulkGet` asks IndexedDB for, one
 * request per key); `rangeKeys`, the keys key-range reads brought back.
 */
async function counted(stored: readonly string[]) {
  const gets = { keys: 0, rangeKeys: 0 };
  const counting: Middleware<DBCore> = {
    stack: 'dbcore',
    name: 'count-gets',
    create: (down) => ({
      ...down,
      table(name) {
        const table = down.table(name);
        return {
          ...table,
          getMany(req) {
            gets.keys += req.keys.length;
            return table.getMany(req);
          },
          async query(req) {
            const found = await table.query(req);
            gets.rangeKeys += found.result.length;
            return found;
          },
        };
      },
    }),
  };
  const database = new Dexie(`stored-rows-${Math.random()}`) as Dexie & { rows: EntityTable<Row, 'key'> };
  database.version(1).stores({ rows: '&key' });
  database.use(counting);
  await database.rows.bulkPut(stored.map((key, n) => ({ key, n })));
  return { database, gets };
}

const sfLead = (recordId: string) => leadKeyString({ crm: 'salesforce', object: 'Lead', recordId });

// Few id characters, so stored and asked keys interleave and a list's range holds many stored leads.
const leadKey = fc
  .record({
    crm: fc.constantFrom('salesforce', 'hubspot', 'zoho'),
    object: fc.constantFrom('Lead', 'contact'),
    recordId: fc.stringMatching(/^[0-9a-c]{1,4}$/),
  })
  .map(leadKeyString);

describe('storedRows', () => {
  it('answers as bulkGet does, whichever keys are stored and asked (order and repeats kept)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(leadKey, { maxLength: 150, size: 'max' }),
        fc.array(leadKey, { minLength: 4, maxLength: 30 }),
        async (stored, more) => {
          const { database } = await counted(stored);
          try {
            const asked = [...more, ...stored.filter((_, i) => i % 9 === 0)];
            expect(await storedRows(database.rows, asked)).toEqual(await database.rows.bulkGet(asked));
          } finally {
            database.close();
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('finds stored leads at both ends of the list and beyond a range cut short', async () => {
    const ids = Array.from({ length: 400 }, (_, i) => sfLead(`00Q${String(i).padStart(12, '0')}`));
    // Stored: the list's first and last key, and 300 leads between them the list does not show.
    const stored = [ids[0]!, ids[399]!, ...ids.slice(50, 350)];
    const { database, gets } = await counted(stored);
    const asked = [ids[399]!, ...ids.slice(360, 370), ids[0]!, ids[200]!];
    const rows = await storedRows(database.rows, asked);
    // No more than 4 stored keys per key asked, however many leads the range holds.
    expect(gets.rangeKeys).toBeLessThanOrEqual(4 * asked.length);
    expect(rows).toEqual(await database.rows.bulkGet(asked));
    expect(rows.filter(Boolean).map((row) => row!.key)).toEqual([ids[399], ids[0], ids[200]]);
  });

  it('reads only the rows that are stored: a list of 200 new leads costs no get', async () => {
    const { database, gets } = await counted([sfLead('00Q000000000001'), sfLead('00Q000000000500')]);
    const asked = Array.from({ length: 200 }, (_, i) => sfLead(`00Q${String(i + 2).padStart(12, '0')}`));
    expect(await storedRows(database.rows, asked)).toEqual(asked.map(() => undefined));
    expect(gets.keys).toBe(0);
    const withKnown = [...asked, sfLead('00Q000000000500')];
    expect((await storedRows(database.rows, withKnown)).at(-1)).toEqual({
      key: sfLead('00Q000000000500'),
      n: 1,
    });
    expect(gets.keys).toBe(1);
  });
});
