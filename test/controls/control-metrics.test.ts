import { describe, expect, it } from "vitest";
import { refusalKind } from "../../src/ops/metrics.js";

describe("refusal kinds of the approval controls, for codepipeline_approvals_refusals_total", () => {
  it("names a hold and the break-glass refusals", () => {
    expect(refusalKind("on hold by @carol: the canary alarms fired")).toBe("hold");
    expect(refusalKind("break-glass needs a reason: `/approve --break-glass <reason>`")).toBe(
      "break_glass",
    );
    expect(refusalKind("@dave is not on the break-glass list (@alice, acme/oncall)")).toBe(
      "break_glass",
    );
    expect(
      refusalKind("break-glass is off for this approval: the policy's break_glass list is empty"),
    ).toBe("break_glass");
  });

  it("keeps an invalid policy that mentions a control key a policy refusal", () => {
    expect(
      refusalKind(
        "the policy file is invalid: defaults.break_glass: expected array, received string",
      ),
    ).toBe("policy");
  });
});
