// The tools a shell offers from its environment (NECTAR_TOOLS, NECTAR_READ_ONLY). Here, not
// in tools/, because it speaks of the environment: tools/ knows nothing above itself.
import { ENV } from "../config.ts";
import { ConfigurationError } from "../errors.ts";
import type { Tool } from "../tool-kit/define.ts";
import { selectTools, type ToolSelection } from "../tool-set/select-tools.ts";

/** The tools a shell offers; an unknown name is a configuration error naming the variable. */
export function configuredTools(selection: ToolSelection): Tool[] {
  try {
    return selectTools(selection);
  } catch (error) {
    if (error instanceof ConfigurationError) throw new ConfigurationError(`${ENV.tools}: ${error.message}`, error.hint);
    throw error;
  }
}
