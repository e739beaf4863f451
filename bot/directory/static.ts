/**
 * The directory without Graph: only the listed people qualify. Used when no group is
 * configured anywhere; a group in an audience then matches nobody (fail closed).
 */
import { normalAudience, type Directory } from './types';

export function staticDirectory(): Directory {
  return {
    async isMember(person, audience) {
      return normalAudience(audience).users.includes(person.toLowerCase());
    },
    cached(person, audience) {
      return normalAudience(audience).users.includes(person.toLowerCase());
    },
    async members(audience) {
      return new Set(normalAudience(audience).users);
    },
  };
}
