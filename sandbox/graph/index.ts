export { knowsUser, SANDBOX_DIRECTORY, transitiveUsers, type StandInDirectory } from './directory';
export {
  MAX_GROUP_IDS,
  startGraphStandIn,
  type GraphCall,
  type GraphFaults,
  type GraphStandIn,
  type GraphStandInOptions,
} from './server';
