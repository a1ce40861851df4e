import {
  paginateListActionExecutions,
  type ActionExecutionDetail,
  type CodePipelineClient,
  type ListActionExecutionsInput,
} from "@aws-sdk/client-codepipeline";

/** ListActionExecutions answers at most 100 details a call. */
const pageSize = 100;

/** How a scan ended: `visit` had what it needed, every page was read, or the page limit was hit. */
export type ScanEnd = "stopped" | "exhausted" | "limited";

/**
 * Reads ListActionExecutions page by page (following nextToken), handing each page's details to
 * `visit` until it returns true, the pages run out, or `maxPages` pages were read. History is kept
 * for 12 months and its order is not documented, so an unfiltered scan is always bounded.
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ListActionExecutions.html
 */
export async function scanActionExecutions(
  client: CodePipelineClient,
  input: Omit<ListActionExecutionsInput, "maxResults" | "nextToken">,
  visit: (details: ActionExecutionDetail[]) => boolean,
  maxPages: number,
): Promise<ScanEnd> {
  let pages = 0;
  // Leaving the loop early ends the paginator, so no page past the one that answered is fetched.
  for await (const page of paginateListActionExecutions({ client, pageSize }, { ...input })) {
    pages += 1;
    if (visit(page.actionExecutionDetails ?? [])) return "stopped";
    if (page.nextToken && pages >= maxPages) return "limited";
  }
  return "exhausted";
}

/** The page limit was hit before the token's run was found: CodePipeline was not asked further. */
export class ActionExecutionScanLimitError extends Error {
  constructor(pipelineName: string, maxPages: number) {
    super(
      `the approval's run is not among the newest ${maxPages * pageSize} action executions of pipeline ${pipelineName}; older ones were not read`,
    );
    this.name = "ActionExecutionScanLimitError";
  }
}

/** Whether a detail is a run of this stage's action. */
export function isRunOf(
  action: { stageName: string; actionName: string },
  detail: ActionExecutionDetail,
): boolean {
  return detail.stageName === action.stageName && detail.actionName === action.actionName;
}

/** A manual approval run's token, which CodePipeline reports as its external execution id. */
export function tokenOf(detail: ActionExecutionDetail): string | undefined {
  return detail.output?.executionResult?.externalExecutionId;
}
