export {
  CHECK_MEMBER_GROUPS_MAX,
  createGraphClient,
  type GraphClient,
  type GraphClientOptions,
} from './client';
export {
  GraphError,
  GraphErrorCode,
  GraphUnavailableError,
  UNAVAILABLE_MESSAGE,
  isGraphError,
} from './graph-error';
