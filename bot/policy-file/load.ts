/**
 * Reads POLICY_FILE at start. Any problem, a missing file included, is one
 * PolicyFileError naming the file, so the bot refuses to start with a clear message.
 */
import { readFileSync } from 'node:fs';
import { PolicyFileError } from './policy-file-error';
import { parsePolicy } from './parse';
import type { EnvPolicy, PolicyRules } from './types';

/** 1 MB: a policy file is a few dozen rules; anything larger is a wrong path. */
const MAX_BYTES = 1024 * 1024;

export function loadPolicyFile(path: string, env?: EnvPolicy): PolicyRules {
  let text: string;
  try {
    const buf = readFileSync(path);
    if (buf.length > MAX_BYTES) throw new PolicyFileError(path, [`${path}: larger than 1 MB`]);
    text = buf.toString('utf8');
  } catch (e) {
    if (e instanceof PolicyFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
    throw new PolicyFileError(path, [`${path}: cannot read POLICY_FILE (${why})`]);
  }
  return parsePolicy(text, path, env);
}
