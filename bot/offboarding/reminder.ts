/**
 * The one reminder to approve (issue #13, part 5; docs/directory.md, "Wiring"): who could still
 * approve, from the conversation's roster (the Teams ids the bot can @mention), checked
 * against the request's rule with cached group answers; the requester is mentioned too.
 */
import type { OffboardRequest, Person } from '../request/model';
import { translator } from '../i18n';
import { MAX_REMINDER_MENTIONS, reminderNotice, requesterLocale } from './notices';
import type { OffboardingDeps } from './ports';
import { mayApproveCached, ruleForRequest } from './rules';

export interface Reminder {
  text: string;
  mention: Person[];
}

/** Conversation members who may still approve `r`: not the requester, not already decided. */
export async function stillApprovers(deps: OffboardingDeps, r: OffboardRequest): Promise<Person[]> {
  const members = await deps.notifier.conversationMembers?.(r).catch((err: unknown) => {
    deps.logger.warn({ err, requestId: r.id }, 'conversation roster unavailable; reminder names no one');
    return [] as Person[];
  });
  const done = new Set([r.requester.aadObjectId, ...r.approvals.map((a) => a.by.aadObjectId)]);
  const out: Person[] = [];
  for (const m of members ?? []) {
    const id = m.aadObjectId.toLowerCase();
    if (!id || !m.teamsId || done.has(id)) continue;
    if (await mayApproveCached(deps.policy, r, id)) out.push({ ...m, aadObjectId: id });
  }
  return out;
}

export async function buildReminder(deps: OffboardingDeps, r: OffboardRequest): Promise<Reminder> {
  const candidates = await stillApprovers(deps, r);
  const rule = ruleForRequest(deps.policy, r);
  const mention = candidates.length <= MAX_REMINDER_MENTIONS ? candidates : [];
  const required = Math.max(r.approvalsRequired, rule.approvalsRequired);
  const text = reminderNotice(
    r,
    {
      approvalsMissing: Math.max(1, required - r.approvals.length),
      ruleSummary: rule.summary,
      mentioned: mention.length,
      candidates: candidates.length,
      now: deps.clock.now(),
      // It addresses several people; the requester's language is the request's language.
    },
    translator(requesterLocale(r, deps.defaultLocale)),
  );
  return { text, mention };
}
