import { type ReactNode, useId } from 'react';
import { type Lang, type LocalizedText, textTable } from '../../../lib/i18n';
import { toCsv } from '../../../lib/kpi/csv';
import { formatCount, formatShare, percentValue } from './format';

/** One column of the rows behind a chart: the raw value for the CSV, the formatted text for the table. */
export interface Column<R> {
  label: LocalizedText;
  csv: (row: R) => string | number | null;
  text: (row: R) => string;
  /** In the CSV only (a code for spreadsheets); the page names things by their labels. */
  csvOnly?: boolean;
}

/** A column of counts: the number itself in the CSV, written the reader's way in the table. */
export function countColumn<R>(label: LocalizedText, count: (row: R) => number, lang: Lang): Column<R> {
  return { label, csv: count, text: (r) => formatCount(count(r), lang) };
}

/** A column of shares: a percentage number in the CSV (its heading says so), a percentage in the table. */
export function shareColumn<R>(
  label: LocalizedText,
  share: (row: R) => number | null,
  lang: Lang,
): Column<R> {
  return {
    label: { ja: `${label.ja}（%）`, en: `${label.en} (%)` },
    csv: (r) => percentValue(share(r)),
    text: (r) => formatShare(share(r), lang),
  };
}

/** A column of words, the same in the CSV and the table. */
export function wordsColumn<R>(label: LocalizedText, words: (row: R) => string): Column<R> {
  return { label, csv: words, text: words };
}

const UI = textTable({
  ja: {
    table: '数値を表で見る',
    csv: 'CSV',
    csvOf: 'CSV をダウンロード',
  },
  en: {
    table: 'Show the figures as a table',
    csv: 'CSV',
    csvOf: 'Download as CSV',
  },
});

/** Saves text as a file through a Blob URL and an <a download>: the console page has no other way out. */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The click starts the download synchronously; revoke on the next turn so the browser has the URL.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * A chart with what makes it usable without seeing it: a heading, the drawing, the same figures as a
 * table (screen readers and tests read real numbers there), and a CSV of the rows behind it.
 */
export function ChartFrame<R>({
  lang,
  title,
  slug,
  period,
  rows,
  columns,
  note,
  nothing,
  table = true,
  children,
}: {
  lang: Lang;
  title: LocalizedText;
  /** File name part: baton-{slug}-{from}_{until}.csv */
  slug: string;
  period: { from: string; until: string };
  rows: R[];
  columns: Column<R>[];
  note?: ReactNode;
  /** Said in place of the drawing when there is nothing to draw; the table and the CSV stay. */
  nothing?: LocalizedText | null;
  /** False when the drawing is itself the table (the breakdown): no second copy. */
  table?: boolean;
  children: ReactNode;
}) {
  const headingId = useId();
  const fileName = `baton-${slug}-${period.from}_${period.until}.csv`;
  return (
    <section className="chart" aria-labelledby={headingId} data-chart={slug}>
      <div className="chart-head">
        <h4 id={headingId}>{title[lang]}</h4>
        <button
          type="button"
          aria-label={`${UI.csvOf[lang]}: ${title[lang]}`}
          title={fileName}
          onClick={() =>
            downloadText(
              fileName,
              toCsv(
                columns.map((c) => c.label[lang]),
                rows.map((r) => columns.map((c) => c.csv(r))),
              ),
            )
          }
        >
          {UI.csv[lang]}
        </button>
      </div>
      {note}
      {nothing ? <p>{nothing[lang]}</p> : children}
      {table ? (
        <details>
          <summary>{UI.table[lang]}</summary>
          <RowsTable
            lang={lang}
            columns={columns}
            rows={rows}
            className="figures kpi-table"
            caption={title[lang]}
          />
        </details>
      ) : null}
    </section>
  );
}

/**
 * The rows behind a chart as a table: one column per Column (CSV-only ones left out), the first a row
 * header. Rows without a key of their own (weeks, buckets, stages) are keyed by position.
 */
export function RowsTable<R>({
  lang,
  columns,
  rows,
  className,
  caption,
  rowKey,
  rowAttributes,
  rowHeader,
  attributes,
}: {
  lang: Lang;
  columns: Column<R>[];
  rows: R[];
  className: string;
  caption?: string;
  rowKey?: (row: R) => string;
  rowAttributes?: (row: R) => Record<`data-${string}`, string>;
  /** The first cell's content; default its text. */
  rowHeader?: (row: R, text: string) => ReactNode;
  attributes?: Record<`data-${string}`, string>;
}) {
  const shown = columns.filter((c) => !c.csvOnly);
  return (
    <table className={className} {...attributes}>
      {caption ? <caption>{caption}</caption> : null}
      <thead>
        <tr>
          {shown.map((c) => (
            <th key={c.label.en} scope="col">
              {c.label[lang]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={rowKey ? rowKey(r) : i} {...rowAttributes?.(r)}>
            {shown.map((c, j) =>
              j === 0 ? (
                <th key={c.label.en} scope="row">
                  {rowHeader ? rowHeader(r, c.text(r)) : c.text(r)}
                </th>
              ) : (
                <td key={c.label.en}>{c.text(r)}</td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
