import nock from "nock";
import { afterEach, beforeEach } from "vitest";

// No test reaches the network: GitHub and AWS are intercepted at the HTTP layer. Loopback stays
// open for the tests that start a real server on 127.0.0.1.
beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});
