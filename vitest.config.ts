import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests share nock's global interceptors, so files run one at a time.
    fileParallelism: false,
    testTimeout: 20_000,
    // The AWS SDK signs every request: dummy credentials, and no instance-metadata lookups.
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      AWS_ACCESS_KEY_ID: "AKIDTEST",
      AWS_SECRET_ACCESS_KEY: "test-secret",
      AWS_REGION: "us-east-1",
      AWS_EC2_METADATA_DISABLED: "true",
    },
    setupFiles: ["test/helpers/setup-nock.ts"],
  },
});
