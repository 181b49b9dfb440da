// Yes/no settings (environment variables and headers), read one way everywhere. The
// README's Environment section lists the same spellings.
import { ConfigurationError } from "./errors.ts";

export const YES = ["1", "true", "yes", "on"] as const;
export const NO = ["0", "false", "no", "off"] as const;

/** A yes/no value; unset or empty is no, and anything unrecognised is an error naming the accepted spellings. */
export function parseYesNo(name: string, value: string | undefined): boolean {
  const v = (value ?? "").trim().toLowerCase();
  if ((YES as readonly string[]).includes(v)) return true;
  if (v === "" || (NO as readonly string[]).includes(v)) return false;
  throw new ConfigurationError(
    `${name} must be yes or no, not "${v.slice(0, 40)}".`,
    `Use ${YES.join(", ")} for yes, or ${NO.join(", ")} (or nothing) for no.`,
  );
}
