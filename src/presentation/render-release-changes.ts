import type { ApprovalAction } from "../approvals/approval.js";
import type {
  CommitLine,
  Comparison,
  PullRef,
  ReleaseChanges,
} from "../approvals/release-changes.schema.js";
import { clipText } from "./clip-text.js";
import { executionConsoleUrl } from "./console-links.js";
import { codeSpan, escapeOneLine, quietMention, safeLink } from "./escape-markdown.js";
import { reasonText } from "./reason-text.js";

/** How many commits the check run lists; the compare link shows the rest. */
export const shownCommits = 10;
const subjectLimit = 100;

/** "[#42](…) Retry payment calls · commit [`6dcb09b`](…) Add retries" */
export function renderChangeLine(changes: ReleaseChanges | undefined): string {
  const head = changes?.head;
  if (!head) return "";
  const commit = safeLink(head.sha.slice(0, 7), head.url) ?? codeSpan(head.sha.slice(0, 7));
  const subject = subjectText(head.subject);
  const pull = head.pull ? `**Pull request** ${pullText(head.pull)} · ` : "";
  return `${pull}**Commit** ${commit} ${subject}`;
}

/**
 * The warning a reviewer must not miss, for the title: a rollback (this commit is behind the last
 * approved release) or histories that diverged. Undefined when neither.
 */
export function changeWarningTitle(changes: ReleaseChanges | undefined): string | undefined {
  const since = changes?.since;
  if (since?.kind !== "compared") return undefined;
  if (since.status === "behind") return `⚠️ Rollback: undoes ${commits(since.behindBy)}`;
  if (since.status === "diverged") {
    return `⚠️ Diverged: leaves out ${commits(since.behindBy)} of the last release`;
  }
  return undefined;
}

/** The same warning as a paragraph for the top of the summary. */
export function renderChangeWarning(changes: ReleaseChanges | undefined): string {
  const since = changes?.since;
  if (since?.kind !== "compared") return "";
  const base = codeSpan(since.base.slice(0, 7));
  const undone =
    safeLink(commits(since.behindBy), reverseCompareUrl(since)) ?? commits(since.behindBy);
  if (since.status === "behind") {
    return `⚠️ **Rollback**: this commit is ${commits(since.behindBy)} behind ${base}, the last release this approval let through. Approving it undoes ${undone}.`;
  }
  if (since.status === "diverged") {
    return `⚠️ **Diverged history**: this commit does not contain ${base}, the last release this approval let through. It brings ${commits(since.aheadBy)} that release lacks and leaves out ${undone} that release shipped.`;
  }
  return "";
}

/** "What changed since the last approved release": the comparison, in words and commits. */
export function renderReleaseChanges(
  changes: ReleaseChanges,
  action: Pick<ApprovalAction, "region" | "pipelineName">,
): string {
  return [
    "**What changed since the last approved release**",
    "",
    describeSince(changes.since, action),
  ].join("\n");
}

function describeSince(
  since: Comparison,
  action: Pick<ApprovalAction, "region" | "pipelineName">,
): string {
  const execution = (id: string | undefined) => {
    if (!id) return "";
    const link = safeLink(id.slice(0, 8), executionConsoleUrl(action, id));
    return ` (pipeline execution ${link ?? codeSpan(id.slice(0, 8))})`;
  };
  switch (since.kind) {
    case "first-release":
      return "First release through this approval: no earlier pipeline execution in CodePipeline's history (it keeps 12 months) passed it, so there is nothing to compare with.";
    case "other-repository": {
      const where = codeSpan(
        `${since.base.owner}/${since.base.repo}@${since.base.sha.slice(0, 7)}`,
      );
      return `The last approved release was built from another repository, ${where}${execution(since.baseExecutionId)}, so it cannot be compared with this commit.`;
    }
    case "not-comparable": {
      const base = since.base ? ` (${codeSpan(since.base.slice(0, 7))})` : "";
      return `Cannot compare with the last approved release${base}${execution(since.baseExecutionId)}: ${escapeOneLine(since.reason)}.`;
    }
    case "compared": {
      const base = `${codeSpan(since.base.slice(0, 7))}${execution(since.baseExecutionId)}`;
      if (since.status === "identical") {
        return `The same commit as the last approved release, ${base}: nothing new would ship.`;
      }
      const count = safeLink(commits(since.aheadBy), since.url) ?? commits(since.aheadBy);
      const head =
        since.status === "behind"
          ? `No new commits: this commit is ${commits(since.behindBy)} behind the last approved release, ${base}.`
          : `${count} since the last approved release, ${base}${since.status === "diverged" ? `, which this commit does not contain` : ""}:`;
      const listed = since.commits
        .slice(0, shownCommits)
        .map((line) => commitItem(line, since.url));
      const more = since.aheadBy - listed.length;
      if (listed.length > 0 && more > 0) {
        listed.push(
          `- and ${more} more (${safeLink("see all", since.url) ?? "see the comparison"})`,
        );
      }
      return [head, ...(listed.length > 0 ? ["", ...listed] : [])].join("\n");
    }
  }
}

function commitItem(line: CommitLine, compareUrl: string): string {
  const sha =
    safeLink(line.sha.slice(0, 7), commitUrl(compareUrl, line.sha)) ??
    codeSpan(line.sha.slice(0, 7));
  const by = line.login
    ? quietMention(line.login)
    : line.name
      ? escapeOneLine(line.name)
      : "unknown author";
  const pull = line.pull ? ` in ${pullText(line.pull)}` : "";
  return `- ${sha} ${subjectText(line.subject)} — ${by}${pull}`;
}

/** A commit subject on one line; `code` in it stays code, as on GitHub. */
function subjectText(subject: string): string {
  return reasonText(clipText(subject.replace(/\r\n?|\n/g, " "), subjectLimit));
}

function pullText(pull: PullRef): string {
  const number = safeLink(`#${pull.number}`, pull.url) ?? `#${pull.number}`;
  return `${number} ${escapeOneLine(clipText(pull.title, subjectLimit))}`;
}

function commits(count: number): string {
  return count === 1 ? "1 commit" : `${count} commits`;
}

/** A commit on the compare page's host: …/owner/repo/compare/a...b → …/owner/repo/commit/sha. */
function commitUrl(compareUrl: string, sha: string): string | undefined {
  const match = /^(https:\/\/[^?#]+)\/compare\/[^/?#]+$/.exec(compareUrl);
  return match && /^[0-9a-f]{7,40}$/i.test(sha) ? `${match[1]}/commit/${sha}` : undefined;
}

/** What a rollback undoes: the comparison the other way round, head...base. */
function reverseCompareUrl(since: Extract<Comparison, { kind: "compared" }>): string | undefined {
  const match = /^(https:\/\/[^?#]+\/compare\/)([^/?#.]+)\.\.\.([^/?#.]+)$/.exec(since.url);
  return match ? `${match[1]}${match[3]}...${match[2]}` : undefined;
}
