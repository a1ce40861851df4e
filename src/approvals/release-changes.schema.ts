import { z } from "zod";

/**
 * What a reviewer is asked to let through, kept in the check run's record so that every later
 * rendering (a counted vote, the decision) still shows it: the change itself (the commit's subject
 * and the pull request it came in through) and how it compares with the last release this same
 * approval action let through. Subjects and titles are clipped before they are stored, so the
 * record stays small. See docs/reviewing.md.
 */
const pullSchema = z.object({ number: z.int(), title: z.string(), url: z.string().optional() });
export type PullRef = z.infer<typeof pullSchema>;

export const commitLineSchema = z.object({
  sha: z.string(),
  /** The first line of the commit message. */
  subject: z.string(),
  /** The GitHub account of the commit's author, when the commit is linked to one. */
  login: z.string().optional(),
  /** The git author's name, when no account is linked. */
  name: z.string().optional(),
  pull: pullSchema.optional(),
});
export type CommitLine = z.infer<typeof commitLineSchema>;

export const comparisonSchema = z.discriminatedUnion("kind", [
  /** No earlier execution in which this approval action succeeded. */
  z.object({ kind: z.literal("first-release") }),
  z.object({
    kind: z.literal("compared"),
    /** The last approved release's commit and pipeline execution. */
    base: z.string(),
    baseExecutionId: z.string().optional(),
    status: z.enum(["ahead", "behind", "diverged", "identical"]),
    aheadBy: z.int().min(0),
    behindBy: z.int().min(0),
    /** GitHub's compare page, base...head. */
    url: z.string(),
    /** The first commits GitHub listed (oldest first); `aheadBy` says how many there are. */
    commits: z.array(commitLineSchema),
  }),
  /** The last approved release was built from another repository (the source changed). */
  z.object({
    kind: z.literal("other-repository"),
    base: z.object({ owner: z.string(), repo: z.string(), sha: z.string() }),
    baseExecutionId: z.string().optional(),
  }),
  /** Known, but not comparable: why, in words ("GitHub no longer has commit 1a2b3c4"). */
  z.object({
    kind: z.literal("not-comparable"),
    base: z.string().optional(),
    baseExecutionId: z.string().optional(),
    reason: z.string(),
  }),
]);
export type Comparison = z.infer<typeof comparisonSchema>;

export const releaseChangesSchema = z.object({
  /** The commit under approval, as GitHub names it. */
  head: z
    .object({
      sha: z.string(),
      subject: z.string(),
      url: z.string().optional(),
      pull: pullSchema.optional(),
    })
    .optional(),
  since: comparisonSchema,
});
export type ReleaseChanges = z.infer<typeof releaseChangesSchema>;
