import { renderText, type Params } from '../calc-package/index.js';
import { isMirrorError } from '../core/index.js';

/**
 * Renders an adapter text (an item path, Progress's `all`) with the job's parameters:
 * the text, or the PLACEHOLDER_UNKNOWN_IN message as a warning when a placeholder has
 * no value (dispatch checks this, but a job's parameters can be edited since).
 */
export function renderOrWarn(
  text: string,
  params: Params,
  where: string,
): { text: string } | { warning: string } {
  try {
    return { text: renderText(text, params, where) };
  } catch (err) {
    if (isMirrorError(err)) return { warning: err.message };
    throw err;
  }
}
