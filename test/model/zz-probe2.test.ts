import { it } from "vitest";
import { checkProtocol } from "./check-protocol.js";

it("probe2", async () => {
  const again = await checkProtocol({
    runs: 1,
    claimed: ["queue-drains"],
    seed: 1,
    path: "59",
    endOnFailure: true,
  });
  console.log("again", again.details.failed);
}, 600_000);
