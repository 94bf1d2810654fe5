/**
 * Nested resource groups (issue #15): `group: crm.contacts` is client.crm.contacts, each level a
 * resource class with provider-qualified names (AcmeCrmResource, AcmeCrmContactsResource), a parent
 * group keeps methods of its own beside its nested groups, and the per-operation functions stay
 * importable one by one. Proven by compiling usage files against the client generated in memory; the
 * collision of a method with a nested group is a diagnostic.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { LoadResult } from "../../../generator/load.js";
import { compileUsage, emitted, loadAcme, specText } from "../../helpers/openapi-client.js";

const operations = {
  inline: {
    "crm.contacts.search": {
      method: "POST",
      path: "/crm/v3/objects/contacts/search",
      group: "crm.contacts",
      name: "search",
      body: { encoding: "json", required: true, schema: { type: "object", properties: { query: { type: "string" } } } },
    },
    "crm.contacts.get": { method: "GET", path: "/crm/v3/objects/contacts/{contactId}", group: "crm.contacts", name: "get" },
    "crm.owners.list": { method: "GET", path: "/crm/v3/owners", group: "crm.owners", name: "list" },
    "crm.status": { method: "GET", path: "/crm/status", group: "crm", name: "status" },
    "marketing.emails.campaigns.list": {
      method: "GET",
      path: "/marketing/v3/emails/campaigns",
      group: "marketing.emails.campaigns",
      name: "list",
    },
  },
};

describe("nested groups", () => {
  let result: LoadResult;
  let files: Map<string, string>;
  beforeAll(() => {
    result = loadAcme(specText(operations));
    files = emitted(result);
  });

  it("models every level as a group with its parent and children", () => {
    expect(result.diagnostics).toEqual([]);
    const groups = result.model!.groups.map((g) => ({
      name: g.name,
      property: g.property,
      parent: g.parent,
      className: g.className,
      children: g.children.map((c) => c.property),
      operations: g.operations.map((o) => o.method),
    }));
    expect(groups).toEqual([
      {
        name: "crm",
        property: "crm",
        parent: undefined,
        className: "AcmeCrmResource",
        children: ["contacts", "owners"],
        operations: ["status"],
      },
      {
        name: "crm.contacts",
        property: "contacts",
        parent: "crm",
        className: "AcmeCrmContactsResource",
        children: [],
        operations: ["get", "search"],
      },
      { name: "crm.owners", property: "owners", parent: "crm", className: "AcmeCrmOwnersResource", children: [], operations: ["list"] },
      {
        name: "marketing",
        property: "marketing",
        parent: undefined,
        className: "AcmeMarketingResource",
        children: ["emails"],
        operations: [],
      },
      {
        name: "marketing.emails",
        property: "emails",
        parent: "marketing",
        className: "AcmeMarketingEmailsResource",
        children: ["campaigns"],
        operations: [],
      },
      {
        name: "marketing.emails.campaigns",
        property: "campaigns",
        parent: "marketing.emails",
        className: "AcmeMarketingEmailsCampaignsResource",
        children: [],
        operations: ["list"],
      },
    ]);
  });

  it("compiles client.crm.contacts.search(...), a parent's own method, and the standalone functions", () => {
    const usage = `
import {
  createAcmeClient,
  createAcmeCore,
  acmeCrmContactsSearch,
  acmeMarketingEmailsCampaignsList,
  type AcmeCrmContactsSearchParams,
  type AcmeCrmResource,
} from "./acme/index.js";
const client = createAcmeClient({ auth: {} });
const params: AcmeCrmContactsSearchParams = { body: { query: "ada" } };
void client.crm.contacts.search(params);
void client.crm.contacts.get({ contactId: "1" });
void client.crm.owners.list();
void client.crm.status();
void client.marketing.emails.campaigns.list();
const crm: AcmeCrmResource = client.crm;
void crm;
const core = createAcmeCore({ auth: {} });
void acmeCrmContactsSearch(core, params);
void acmeMarketingEmailsCampaignsList(core);
// @ts-expect-error nested groups are not flattened onto the client
void client.contacts;
// @ts-expect-error a level without operations has no methods
void client.marketing.list();
`;
    expect(compileUsage(files, { "usage.ts": usage })).toEqual([]);
  });

  it("keeps the operation's group in its runtime definition (rate-limit appliesTo.groups reads it)", () => {
    const contacts = result.model!.groups.find((g) => g.name === "crm.contacts")!;
    expect(contacts.operations.map((o) => o.definition.group)).toEqual(["crm.contacts", "crm.contacts"]);
  });

  it("reports a method that takes the property a nested group needs", () => {
    const clash = {
      inline: { ...operations.inline, "crm.contacts.legacy": { method: "GET", path: "/crm/contacts", group: "crm", name: "contacts" } },
    };
    const lines = loadAcme(specText(clash)).diagnostics.map((d) => `${d.code} ${d.message}`);
    expect(lines).toEqual([
      'SB3004 operation "crm.contacts.legacy" becomes client.crm.contacts(), the property the group "crm.contacts" nests under; rename one',
    ]);
  });
});
