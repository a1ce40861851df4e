import type { PendingApproval } from "./approval.js";
import {
  approvalIdentitySchema,
  checkRunRecordSchema,
  type CheckRunRecord,
} from "./check-run-record.schema.js";

const recordStart = "<!-- codepipeline-approvals:record ";
const recordEnd = " -->";

/** An approval as a check run carries it: the request plus what has happened to it so far. */
export interface TrackedApproval {
  approval: PendingApproval;
  record: CheckRunRecord;
}

/** The fields of a GitHub check run this app reads back. */
export interface CheckRunSnapshot {
  id: number;
  name: string;
  head_sha: string;
  external_id: string | null;
  html_url?: string | null | undefined;
  /** Set by GitHub when the run was created (this app never sends it): when the approval appeared. */
  started_at?: string | null | undefined;
  output: {
    text?: string | null | undefined;
    /** How many annotations GitHub holds: one per audit entry this app wrote (vote-log.ts). */
    annotations_count?: number | undefined;
  };
  app?: { id: number } | null | undefined;
}

export function newRecord(approval: PendingApproval): CheckRunRecord {
  return {
    v: 1,
    details: {
      expiresAt: approval.expiresAt,
      ...(approval.approvalReviewLink ? { approvalReviewLink: approval.approvalReviewLink } : {}),
      ...(approval.externalEntityLink ? { externalEntityLink: approval.externalEntityLink } : {}),
      ...(approval.customData ? { customData: approval.customData } : {}),
      ...(approval.accountAlias ? { accountAlias: approval.accountAlias } : {}),
      ...(approval.sources ? { sources: approval.sources } : {}),
    },
    resolution: { kind: "pending" },
    history: [],
  };
}

/**
 * What names one approval wherever it goes (a check run's external id, a reminder message): the
 * account (so a decision goes back to the account it came from), region, pipeline, stage, action,
 * execution and token.
 */
export function approvalIdentityOf(approval: PendingApproval) {
  const { account, region, pipelineName, stageName, actionName, executionId, token } = approval;
  return {
    ...(account ? { account } : {}),
    region,
    pipelineName,
    stageName,
    actionName,
    executionId,
    token,
  };
}

export function encodeExternalId(approval: PendingApproval): string {
  return JSON.stringify({ v: 1, ...approvalIdentityOf(approval) });
}

/** The token a check run was created for, or undefined when it is not one of ours. */
export function tokenOfExternalId(externalId: string | null | undefined): string | undefined {
  return decodeIdentity(externalId)?.token;
}

/** Hidden in `output.text`: invisible on GitHub, returned verbatim by the API. */
export function embedRecord(record: CheckRunRecord): string {
  // "--" cannot end the comment early once JSON escapes every "-" that follows a "-".
  return `${recordStart}${JSON.stringify(record).replaceAll("--", "-\\u002d")}${recordEnd}`;
}

/**
 * Reads an approval back from a check run this app created. Undefined means "not an approval
 * check run": a foreign external_id, or a record that does not validate.
 */
export function readTrackedApproval(checkRun: CheckRunSnapshot): TrackedApproval | undefined {
  const identity = decodeIdentity(checkRun.external_id);
  if (!identity) return undefined;
  const record = extractRecord(checkRun.output.text);
  if (!record) return undefined;
  const { v: _version, ...approval } = identity;
  return { approval: { ...approval, ...record.details }, record };
}

function decodeIdentity(externalId: string | null | undefined) {
  if (!externalId) return undefined;
  try {
    const parsed = approvalIdentitySchema.safeParse(JSON.parse(externalId));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function extractRecord(text: string | null | undefined): CheckRunRecord | undefined {
  if (!text) return undefined;
  const start = text.lastIndexOf(recordStart);
  if (start < 0) return undefined;
  const end = text.indexOf(recordEnd, start + recordStart.length);
  if (end < 0) return undefined;
  try {
    const parsed = checkRunRecordSchema.safeParse(
      JSON.parse(text.slice(start + recordStart.length, end)),
    );
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
