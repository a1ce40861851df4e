/** The units `remind_before` takes: days, hours, minutes, largest first, each at most once. */
const durationPattern = /^(?:(\d{1,3})d)?(?:(\d{1,4})h)?(?:(\d{1,5})m)?$/;

const minuteMs = 60_000;

/**
 * "30m", "4h", "1d" or a combination such as "1d12h" as milliseconds; undefined for anything
 * else, including an empty string and a zero duration. Seconds are not accepted: a reminder is
 * delivered to within seconds at best (docs/design.md, "Reminders"), so they would promise too much.
 */
export function parseDuration(text: string): number | undefined {
  const match = durationPattern.exec(text.trim());
  if (!match || text.trim() === "") return undefined;
  const [days = 0, hours = 0, minutes = 0] = match.slice(1).map((part) => Number(part ?? 0));
  const total = ((days * 24 + hours) * 60 + minutes) * minuteMs;
  return total > 0 ? total : undefined;
}
