// Printing: JSON for machines (bigints as strings), aligned tables and key-value blocks for people, and
// the one format of an error (`error <code>: <message>` plus its details).

import type { CliError } from './cli-error.ts';
import type { CliIo } from './command.ts';

/** Prints `value` as indented JSON; bigints become decimal strings. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(
    `${JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? item.toString() : item), 2)}\n`,
  );
}

/** A table column: a header, how to read the cell from a row, and its alignment. */
export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => string;
  /** 'amount' right-aligns and lines up the decimal points. */
  readonly align?: 'left' | 'right' | 'amount';
}

/** Renders rows as an aligned text table with a header line; an empty list renders `empty`. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[], empty = '(none)'): string {
  if (rows.length === 0) return `${empty}\n`;
  const cells = columns.map((column) => {
    const values = rows.map((row) => column.cell(row));
    return column.align === 'amount' ? alignDecimalPoints(values) : values;
  });
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells[index]!.map((value) => value.length)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, index) =>
        columns[index]!.align === undefined || columns[index]!.align === 'left'
          ? value.padEnd(widths[index]!)
          : value.padStart(widths[index]!),
      )
      .join('  ')
      .trimEnd();
  const out = [line(columns.map((column) => column.header))];
  for (let row = 0; row < rows.length; row += 1) out.push(line(cells.map((column) => column[row]!)));
  return `${out.join('\n')}\n`;
}

/** Renders `label: value` lines with the values aligned, each line prefixed by `indent`. */
export function renderFields(
  fields: readonly (readonly [label: string, value: string])[],
  indent = '',
): string {
  const width = Math.max(...fields.map(([label]) => label.length));
  return fields.map(([label, value]) => `${indent}${`${label}:`.padEnd(width + 2)}${value}\n`).join('');
}

/** Prints an error: JSON `{ error }` on stdout with --json (machines read stdout), text on stderr otherwise. */
export function printError(io: CliIo, error: CliError, json: boolean): void {
  const body = {
    code: error.code,
    message: error.message,
    ...(Object.keys(error.details).length > 0 ? { details: error.details } : {}),
  };
  if (json) {
    printJson(io, { error: body });
    return;
  }
  let text = `error ${error.code}: ${error.message}\n`;
  for (const [key, value] of Object.entries(error.details)) {
    text += `  ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}\n`;
  }
  io.stderr(text);
}

// Pads the fraction digits so decimal points line up when the column is right-aligned.
function alignDecimalPoints(values: readonly string[]): string[] {
  const fractionOf = (value: string) => {
    const dot = value.indexOf('.');
    return dot === -1 ? 0 : value.length - dot;
  };
  const widest = Math.max(...values.map(fractionOf));
  return values.map((value) => value + ' '.repeat(widest - fractionOf(value)));
}
