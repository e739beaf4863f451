import { AppError } from '../app-error';

/**
 * Every problem of a policy file at once, each naming the file, line and field, like
 * ConfigError's one message naming every bad setting.
 */
export class PolicyFileError extends AppError {
  constructor(
    readonly file: string,
    /** `policy.yaml:12: rules[1].approvalsRequired: must be …` */
    readonly problems: readonly string[],
  ) {
    const text = `Invalid policy file ${file} (${problems.length}): ${problems.join('; ')}`;
    super('PolicyFileInvalid', text);
    this.name = 'PolicyFileError';
  }
}
