import { describe, expect, it } from "vitest";
import { manifestWebhookUrl } from "../src/start-setup-mode.js";
import { testConfig } from "./helpers/bridge.js";

describe("the webhook URL the setup page registers", () => {
  it("is the smee channel in development", () => {
    expect(manifestWebhookUrl(testConfig({ webhookProxyUrl: "https://smee.io/abc" }))).toBe(
      "https://smee.io/abc",
    );
  });

  it("is the public address plus the webhook path when there is no channel", () => {
    const config = testConfig({
      publicUrl: "https://approvals.example.com",
      webhookPath: "/hooks/github",
    });
    expect(manifestWebhookUrl(config)).toBe("https://approvals.example.com/hooks/github");
  });

  it("is left to Probot (which creates a smee channel) when neither is configured", () => {
    expect(manifestWebhookUrl(testConfig())).toBeUndefined();
  });
});
