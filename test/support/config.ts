import { ConfigError, loadConfig } from '../../bot/config';
import { SANDBOX_DEFAULTS } from '../../sandbox/runtime';

/** Helpers shared by the configuration tests. */

/** A GUID made from a number: G(1) = 00000001-0000-4000-8000-000000000000. */
export const G = (n: number) => `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;

/** The problems loadConfig names for `env`, or [] when it loads. */
export function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, SANDBOX_DEFAULTS);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}
