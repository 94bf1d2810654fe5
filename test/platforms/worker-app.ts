/** The scenario (scenario-app.ts) as a Cloudflare Worker: the input POSTed as JSON, the output as JSON. */
import { runScenario, type ScenarioInput } from "./scenario-app.js";

export default {
  async fetch(request: Request): Promise<Response> {
    try {
      return Response.json(await runScenario((await request.json()) as ScenarioInput));
    } catch (error) {
      return Response.json({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }, { status: 500 });
    }
  },
};
