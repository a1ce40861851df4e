import { randomBytes, randomUUID } from "node:crypto";

/** One approval action waiting in one pipeline execution, and where GitHub shows it. */
export interface ModelApproval {
  token: string;
  installationId: number;
  owner: string;
  repo: string;
  pipelineName: string;
  stageName: string;
  actionName: string;
  executionId: string;
  /** The commit the execution built: a pull request's merge commit. */
  sha: string;
  pullNumber: number | undefined;
  /** CodePipeline's view: pending until PutApprovalResult. */
  status: "InProgress" | "Succeeded" | "Failed";
}

/** One run of a pipeline, built from one merged pull request. */
export interface ModelExecution {
  executionId: string;
  sha: string;
  headSha: string;
  pullNumber: number | undefined;
  approvals: ModelApproval[];
}

export interface ModelPipeline {
  name: string;
  installationId: number;
  owner: string;
  repo: string;
  actions: string[];
  pullRequests: boolean;
  /** Oldest first; the last one is what GetPipelineState shows. */
  executions: ModelExecution[];
}

/** The organizations, repositories and pipelines the fakes of one scenario agree on. */
export class WorldModel {
  readonly installations = new Set<number>();
  readonly pipelines = new Map<string, ModelPipeline>();
  readonly approvals = new Map<string, ModelApproval>();
  private readonly byRepo = new Map<string, ModelPipeline>();
  private readonly byCommit = new Map<string, ModelExecution>();

  installationOf(owner: string, repo: string): number | undefined {
    return this.byRepo.get(`${owner}/${repo}`)?.installationId;
  }

  pipelineOfRepo(owner: string, repo: string): ModelPipeline | undefined {
    return this.byRepo.get(`${owner}/${repo}`);
  }

  /** The execution that built a commit (as merge or head commit) of a repository. */
  executionOfCommit(owner: string, repo: string, sha: string): ModelExecution | undefined {
    return this.byCommit.get(`${owner}/${repo}@${sha}`);
  }

  executionOfPull(owner: string, repo: string, number: number): ModelExecution | undefined {
    return this.byRepo
      .get(`${owner}/${repo}`)
      ?.executions.find((execution) => execution.pullNumber === number);
  }

  /**
   * Adds `pipelines` pipelines to an installation, each building its own repository and waiting
   * at `actionsPerPipeline` approval actions of one stage; `executions` runs each (0 = none yet).
   */
  addPipelines({
    installationId,
    pipelines,
    actionsPerPipeline,
    pullRequests,
    prefix,
    executions = 1,
  }: {
    installationId: number;
    pipelines: number;
    actionsPerPipeline: number;
    pullRequests: boolean;
    prefix: string;
    executions?: number;
  }): ModelApproval[] {
    this.installations.add(installationId);
    const added: ModelApproval[] = [];
    for (let index = 0; index < pipelines; index += 1) {
      const name = `${prefix}-${installationId}-${index}`;
      const pipeline: ModelPipeline = {
        name,
        installationId,
        owner: `org-${installationId}`,
        repo: `svc-${name}`,
        actions: Array.from({ length: actionsPerPipeline }, (_, action) => `Approve-${action + 1}`),
        pullRequests,
        executions: [],
      };
      this.pipelines.set(name, pipeline);
      this.byRepo.set(`${pipeline.owner}/${pipeline.repo}`, pipeline);
      for (let run = 0; run < executions; run += 1) added.push(...this.addExecution(name));
    }
    return added;
  }

  /** A new execution of a pipeline, from a new merged pull request, pending at every action. */
  addExecution(pipelineName: string): ModelApproval[] {
    const pipeline = this.pipelines.get(pipelineName);
    if (!pipeline) throw new Error(`no pipeline ${pipelineName}`);
    const execution: ModelExecution = {
      executionId: randomUUID(),
      sha: randomSha(),
      headSha: randomSha(),
      pullNumber: pipeline.pullRequests ? pipeline.executions.length + 1 : undefined,
      approvals: [],
    };
    for (const actionName of pipeline.actions) {
      const approval: ModelApproval = {
        token: randomUUID(),
        installationId: pipeline.installationId,
        owner: pipeline.owner,
        repo: pipeline.repo,
        pipelineName,
        stageName: "Approval",
        actionName,
        executionId: execution.executionId,
        sha: execution.sha,
        pullNumber: execution.pullNumber,
        status: "InProgress",
      };
      execution.approvals.push(approval);
      this.approvals.set(approval.token, approval);
    }
    pipeline.executions.push(execution);
    for (const sha of [execution.sha, execution.headSha]) {
      this.byCommit.set(`${pipeline.owner}/${pipeline.repo}@${sha}`, execution);
    }
    return execution.approvals;
  }
}

function randomSha(): string {
  return randomBytes(20).toString("hex");
}
