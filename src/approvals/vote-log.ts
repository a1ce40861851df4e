import { historyEntrySchema, type HistoryEntry } from "./check-run-record.schema.js";
import { clipText } from "../presentation/clip-text.js";
import { formatTime } from "../presentation/escape-markdown.js";
import { entryMessage, entryTitle } from "../presentation/describe-entry.js";

/**
 * Every attempt is also appended to the check run as an annotation: "each time you update the
 * check run, annotations are appended to the list of annotations that already exist"
 * (https://docs.github.com/en/rest/checks/runs#update-a-check-run). Only the app that created a
 * check run can update it, so nobody else can write to this log. It is the durable audit trail
 * and the record the quorum is counted from; the entry rides along in `raw_details` as JSON.
 */
export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  title: string;
  message: string;
  raw_details: string;
}

const marker = "codepipeline-approvals:entry ";
/** GitHub Actions uses this path for annotations that belong to no file. */
const annotationPath = ".github";
const detailLimit = 2_000;

export function voteAnnotation(entry: HistoryEntry): CheckRunAnnotation {
  const detail = entry.detail ? clipText(entry.detail, detailLimit) : undefined;
  return {
    path: annotationPath,
    start_line: 1,
    end_line: 1,
    annotation_level: levelOf(entry),
    title: clipText(entryTitle(entry), 255),
    message: entryMessage(entry, formatTime(entry.at), detail),
    raw_details:
      marker +
      JSON.stringify({
        ...entry,
        ...(entry.detail ? { detail: clipText(entry.detail, detailLimit) } : {}),
      }),
  };
}

/** The entries of a check run's annotations, in the order GitHub lists them; others are skipped. */
export function readVoteLog(
  annotations: readonly { raw_details?: string | null | undefined }[],
): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (const annotation of annotations) {
    const raw = annotation.raw_details;
    if (!raw?.startsWith(marker)) continue;
    try {
      const parsed = historyEntrySchema.safeParse(JSON.parse(raw.slice(marker.length)));
      if (parsed.success) entries.push(parsed.data);
    } catch {
      // Not JSON: not an entry this app wrote.
    }
  }
  return entries;
}

/**
 * The audit trail after reading the log: entries the log holds, in its order, after those that
 * predate it (no id), followed by entries this process wrote that the log does not list yet.
 */
export function mergeHistory(
  known: readonly HistoryEntry[],
  log: readonly HistoryEntry[],
): HistoryEntry[] {
  const logged = new Set(log.map((entry) => entry.id));
  return [
    ...known.filter((entry) => !entry.id),
    ...log,
    ...known.filter((entry) => entry.id && !logged.has(entry.id)),
  ];
}

function levelOf(entry: HistoryEntry): CheckRunAnnotation["annotation_level"] {
  switch (entry.result) {
    case "approved":
    case "counted":
      return "notice";
    case "rejected":
      return "failure";
    default:
      return "warning";
  }
}
