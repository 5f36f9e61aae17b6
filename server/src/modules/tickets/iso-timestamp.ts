const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * `date.toISOString()`, about three times faster: an import formats several dates per row, once for the
 * content hash and once for the database. Years outside 1000-9999 (and invalid dates) take the slow path.
 */
export function isoTimestamp(date: Date): string {
  const year = date.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) return date.toISOString();
  const ms = date.getUTCMilliseconds();
  return `${year}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}.${ms < 10 ? `00${ms}` : ms < 100 ? `0${ms}` : ms}Z`;
}
