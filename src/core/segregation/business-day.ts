// Business days and the deadlines the segregation rules count in: a statement reports the close of business
// day D and must be finalised by noon of the next business day (CFTC 1.32(d)); residual interest may leave
// segregation only once the prior business day's statement is finalised. Days are UTC calendar days and
// business days are Monday to Friday; public holidays are not modelled.

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isBusinessDateText(text: string): boolean {
  const match = DATE_PATTERN.exec(text);
  if (match === null) return false;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return formatDate(ms) === text;
}

/** Midnight UTC at the start of `date` (YYYY-MM-DD). */
export function startOfDateMs(date: string): number {
  const match = DATE_PATTERN.exec(date);
  if (match === null || !isBusinessDateText(date)) throw new RangeError(`not a date: ${date}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

/** The UTC calendar date of an instant. */
export function dateOfMs(ms: number): string {
  return formatDate(Math.floor(ms / DAY_MS) * DAY_MS);
}

/** True for Monday to Friday. */
export function isBusinessDay(date: string): boolean {
  // 1970-01-01 was a Thursday (weekday 4, Sunday = 0).
  const weekday = (startOfDateMs(date) / DAY_MS + 4) % 7;
  return weekday !== 0 && weekday !== 6;
}

/** The business day before `date`. */
export function previousBusinessDay(date: string): string {
  let ms = startOfDateMs(date) - DAY_MS;
  while (!isBusinessDay(formatDate(ms))) ms -= DAY_MS;
  return formatDate(ms);
}

/** The business day after `date`. */
export function nextBusinessDay(date: string): string {
  let ms = startOfDateMs(date) + DAY_MS;
  while (!isBusinessDay(formatDate(ms))) ms += DAY_MS;
  return formatDate(ms);
}

/** The close of business of `date`: the end of the UTC day (the statement's cut-off is the last batch before). */
export function closeOfBusinessMs(date: string): number {
  return startOfDateMs(date) + DAY_MS;
}

/** When the statement for `date` must be finalised: `hourUtc` o'clock on the next business day. */
export function finalisationDeadlineMs(date: string, hourUtc: number): number {
  return startOfDateMs(nextBusinessDay(date)) + hourUtc * HOUR_MS;
}

// The civil date of a UTC midnight (days-from-civil inverted, after Howard Hinnant's algorithm): core code
// reads no clock, and this keeps it away from the Date object altogether.
function formatDate(ms: number): string {
  const z = Math.floor(ms / DAY_MS) + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
