import { createPrivateKey, createSign } from "node:crypto";
import { getPrivateKey } from "@probot/get-private-key";

export type PrivateKeyResult =
  { kind: "none" } | { kind: "key"; privateKey: string } | { kind: "problem"; problem: string };

const expected =
  "the GitHub App's private key: the .pem file from the app's settings page (Private keys), as PEM " +
  "(newlines written as \\n are fine) or base64 in PRIVATE_KEY, or its path in PRIVATE_KEY_PATH";

/**
 * Finds the app's private key the way Probot does (PRIVATE_KEY, then PRIVATE_KEY_PATH, then a single
 * *.pem in the working directory) and proves it can sign an RS256 app token, which is all GitHub
 * asks of it. A PEM-shaped but broken key is a configuration problem here, not a stack trace at the
 * first GitHub call. https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app
 */
export function readPrivateKey(
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd(),
): PrivateKeyResult {
  const source = env.PRIVATE_KEY
    ? "PRIVATE_KEY"
    : env.PRIVATE_KEY_PATH
      ? `PRIVATE_KEY_PATH (${env.PRIVATE_KEY_PATH})`
      : "the *.pem file in the working directory";
  let privateKey: string | undefined;
  try {
    privateKey = getPrivateKey({ env, cwd })?.toString();
  } catch (error) {
    const reason = (error as Error).message.replace(/^\[@probot\/get-private-key\]\s*/, "");
    return { kind: "problem", problem: `${source}: ${reason}; expected ${expected}` };
  }
  if (!privateKey) return { kind: "none" };
  try {
    const key = createPrivateKey(privateKey);
    if (key.asymmetricKeyType !== "rsa") {
      return {
        kind: "problem",
        problem: `${source}: is a ${key.asymmetricKeyType ?? "non-RSA"} key, GitHub App keys are RSA; expected ${expected}`,
      };
    }
    createSign("RSA-SHA256").update("probe").sign(key);
  } catch (error) {
    return {
      kind: "problem",
      problem: `${source}: cannot sign a GitHub App token (${(error as Error).message}); expected ${expected}`,
    };
  }
  return { kind: "key", privateKey };
}
