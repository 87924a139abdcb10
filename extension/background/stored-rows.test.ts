import Dexie, { type DBCore, type EntityTable, type Middleware } from 'dexie';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { storedRows } from './stored-rows';

interface Row {
  key: string;
  n: number;
}

/** A database whose `get`s by key are counted: what `bulkGet` asks IndexedDB for, one request per key. */
async function counted(stored: readonly string[]) {
  const gets = { keys: 0 };
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

const leadKey = fc
  .constantFrom('salesforce|Lead|', 'hubspot|contact|', 'zoho|Leads|')
  .chain((prefix) => fc.stringMatching(/^[0-9A-Za-z]{1,6}$/).map((id) => prefix + id));

describe('storedRows', () => {
  it('answers as bulkGet does, whichever keys are stored and asked (order and repeats kept)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(leadKey, { maxLength: 40 }),
        fc.array(leadKey, { maxLength: 40 }),
        async (stored, more) => {
          const { database } = await counted(stored);
          const asked = [...more, ...stored.filter((_, i) => i % 3 === 0)];
          expect(await storedRows(database.rows, asked)).toEqual(await database.rows.bulkGet(asked));
          database.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reads only the rows that are stored: a list of 200 new leads costs no get', async () => {
    const { database, gets } = await counted([
      'salesforce|Lead|00Q000000000001',
      'salesforce|Lead|00Q000000000500',
    ]);
    const asked = Array.from(
      { length: 200 },
      (_, i) => `salesforce|Lead|00Q${String(i + 2).padStart(12, '0')}`,
    );
    expect(await storedRows(database.rows, asked)).toEqual(asked.map(() => undefined));
    expect(gets.keys).toBe(0);
    const withKnown = [...asked, 'salesforce|Lead|00Q000000000500'];
    expect((await storedRows(database.rows, withKnown)).at(-1)).toEqual({
      key: 'salesforce|Lead|00Q000000000500',
      n: 1,
    });
    expect(gets.keys).toBe(1);
  });
});
