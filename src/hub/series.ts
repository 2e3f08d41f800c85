/**
 * Numeric series of a process file (a residual history, a monitor point): the lines of
 * whitespace- or comma-separated numbers, as rows; the first column is the x axis.
 * Comment lines (`#`, `//`, `%`) and blank ones are skipped; a first line of names
 * (`iter residual`, `# time Ux Uy`) names the columns, else they are `x`, `y1`, `y2`...
 * Rows with another column count than the first numeric row, or with a value that is
 * not a number, are skipped.
 */
export interface Series {
  readonly columns: string[];
  readonly rows: number[][];
}

const SEPARATOR = /[\s,;]+/;

export function parseSeries(text: string, maxRows = 100_000): Series {
  let names: string[] | undefined;
  let width = 0;
  const rows: number[][] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const comment = /^(#|\/\/|%)/.test(line);
    const cells = line
      .replace(/^(#|\/\/|%)\s*/, '')
      .split(SEPARATOR)
      .filter((c) => c !== '');
    const numbers = cells.map(Number);
    const numeric = !comment && cells.length > 0 && numbers.every((n) => Number.isFinite(n));
    if (!numeric) {
      // Names: the last such line before the first row of numbers.
      if (rows.length === 0 && cells.length > 1 && cells.every((c) => !Number.isFinite(Number(c))))
        names = cells;
      continue;
    }
    if (width === 0) width = numbers.length;
    if (numbers.length !== width) continue;
    rows.push(numbers);
    if (rows.length > maxRows) rows.shift();
  }
  const columns =
    names?.length === width ? names : Array.from({ length: width }, (_, i) => (i === 0 ? 'x' : `y${i}`));
  return { columns, rows };
}
