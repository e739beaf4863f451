export { graphDirectory, type GraphDirectoryOptions } from './graph';
export { staticDirectory } from './static';
export { EMPTY_AUDIENCE, normalAudience, type Audience, type Directory, type MembershipCheck } from './types';
