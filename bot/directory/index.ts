export { createDirectory, type DirectoryChoice } from './factory';
export { graphDirectory, type GraphDirectoryOptions } from './graph';
export { resolveRoster, type RosterAudiences, type RosterPeople } from './roster';
export { staticDirectory } from './static';
export { EMPTY_AUDIENCE, normalAudience, type Audience, type Directory, type MembershipCheck } from './types';
