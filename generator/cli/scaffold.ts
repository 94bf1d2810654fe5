/** `switchboard new PROVIDER`: a commented starter spec that validates as it is. */

export function starterSpec(provider: string, schemaPath: string): string {
  const title = provider
    .split("-")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
  return `# yaml-language-server: $schema=${schemaPath}
# Switchboard spec for ${title}. Reference: docs/spec.md. Check it with \`switchboard validate\`.
switchboard: 1

provider:
  name: ${provider}
  title: ${title}
  # docsUrl: https://example.com/docs/api
  # sources: [https://example.com/docs/api]   # cite where each fact comes from

environments:
  live:
    baseUrl: https://api.example.com
    default: true
  # sandbox:
  #   baseUrl: https://sandbox.api.example.com

auth:
  modes:
    apiKey:
      type: bearer              # or apiKey (header/query), basic, oauth2, githubApp
      description: Secret API key from the dashboard.

rateLimits:
  headers:                      # the provider's own count re-synchronises the buckets
    limit: X-RateLimit-Limit
    remaining: X-RateLimit-Remaining
    reset: X-RateLimit-Reset
    resetFormat: epoch-seconds  # or epoch-ms, seconds, http-date
  buckets:
    global:
      rate: 10
      per: 1s

retry:
  maxAttempts: 3
  backoff: { base: 500ms, cap: 30s, jitter: full }
  # idempotency: { header: Idempotency-Key }   # makes POST retries safe

errors:
  fields:
    code: $.error.code
    message: $.error.message
  # requestIdHeader: X-Request-Id
  # codes:
  #   invalid_api_key: { kind: authentication, hint: Check the key in the dashboard. }

operations:
  inline:
    listWidgets:
      method: GET
      path: /v1/widgets
      summary: List widgets.
      params:
        limit: { in: query, schema: { type: integer } }
    getWidget:
      method: GET
      path: /v1/widgets/{id}
      summary: Retrieve one widget.
`;
}
