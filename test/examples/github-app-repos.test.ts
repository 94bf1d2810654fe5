/** examples/github-app-repos against the mock GitHub: installation token minted once, repositories listed by page. */
import { expect, it } from "vitest";
import { run } from "../../examples/github-app-repos/main.js";
import { recordingView } from "../../examples/shared/live-view.js";

it("authenticates as the installation and lists the repositories page by page", async () => {
  const view = recordingView();
  const result = await run(view);
  expect(result.pages).toBe(3); // 7 repositories, 3 per page
  expect(result.repositories).toHaveLength(7);
  expect(result.tokensMinted).toBe(1);
  expect(
    view.lines.filter((l) => /^🔑 token installation_token success .*\/app\/installations\/987654\/access_tokens 201$/.test(l)),
  ).toHaveLength(1);
});
