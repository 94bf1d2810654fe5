/**
 * Full-API scale: a spec that imports all of GitHub's REST description (@octokit/openapi, 1,223
 * operations) validates, generates and type-checks under the repo's strict settings, and the types it
 * produces are the provider's. The speed of this is measured by `npm run bench -- codegen-github`, never here.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../../../generator/diagnostics.js";
import { emitProvider } from "../../../../generator/emit/emit.js";
import { loadSpec } from "../../../../generator/load.js";
import { repoRoot, typecheck } from "../../../helpers/typecheck.js";

const SPEC = `switchboard: 1
provider: { name: github, title: GitHub }
environments: { dotcom: { baseUrl: https://api.github.com } }
auth: { modes: { token: { type: bearer } } }
operations:
  import:
    - from: "@octokit/openapi/generated/api.github.com.json"
      pagination: { whenQueryParam: page, pagination: { style: linkHeader } }
`;

describe("GitHub's whole REST API", () => {
  it("validates, generates every operation, and type-checks with zero diagnostics", () => {
    // The spec is in memory; its path (never created) makes the package resolve from the repo.
    const loaded = loadSpec("specs/github-full.yaml", SPEC, { path: path.join(repoRoot, "specs", "github-full.yaml") });
    expect(loaded.diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
    const model = loaded.model!;
    expect(model.groups.reduce((n, g) => n + g.operations.length, 0)).toBe(1223);
    // The two operations with raw bodies, one of them on its own server.
    const op = (group: string, method: string) => model.groups.find((g) => g.name === group)!.operations.find((o) => o.method === method)!;
    expect(op("markdown", "renderRaw").definition).toMatchObject({ bodyEncoding: "raw", contentType: "text/plain" });
    expect(op("repos", "uploadReleaseAsset").definition).toMatchObject({
      bodyEncoding: "raw",
      contentType: "application/octet-stream",
      baseUrl: "https://uploads.github.com",
    });
    // Component schemas keep GitHub's names (full-repository, simple-user), in PascalCase.
    const names = new Set(model.schemaDeclarations.map((d) => d.name));
    for (const name of ["FullRepository", "Issue", "SimpleUser", "PullRequest", "Workflow"]) expect(names.has(name), name).toBe(true);

    const files = emitProvider(model, { runtimeImport: "@switchboard/runtime/contract", generatorVersion: "test" });
    const usage = `
import { createGithubClient, type GithubTypes } from "./github/index.js";

const github = createGithubClient({ auth: { token: "ghp_x" } });
export const repo: Promise<GithubTypes.FullRepository> = github.repos.get({ owner: "octocat", repo: "hello-world" }).then((r) => r);
export async function names(): Promise<string[]> {
  const out: string[] = [];
  for await (const issue of github.issues.listForRepo({ owner: "octocat", repo: "hello-world", state: "open" })) out.push(issue.title);
  const { status, body } = await github.repos.get({ owner: "o", repo: "r" }).withResponse();
  const checkStatus: 200 = status;
  out.push(body.full_name, String(checkStatus));
  return out;
}
export const rendered = github.markdown.renderRaw({ body: "Hello **world**" });
export const uploaded = github.repos.uploadReleaseAsset({ owner: "o", repo: "r", releaseId: 1, name: "a.zip", body: new Uint8Array([1]) });
// @ts-expect-error a text body is text
export const renderedBytes = github.markdown.renderRaw({ body: new Uint8Array([1]) });
// @ts-expect-error owner is required
export const missing = github.repos.get({ repo: "hello-world" });
// @ts-expect-error state is "open" | "closed" | "all"
export const badState = github.issues.listForRepo({ owner: "o", repo: "r", state: "opened" });
`;
    const result = typecheck(new Map([...files.map((f) => [`github/${f.path}`, f.text] as const), ["usage.ts", usage]]));
    expect(result.diagnostics).toEqual([]);
  });
});
