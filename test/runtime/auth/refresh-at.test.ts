import { describe, expect, it } from "vitest";
import { refreshAt } from "../../../runtime/auth/refresh-at.js";

describe("refreshAt caps the refresh skew at half the token's lifetime (issue 14)", () => {
  const cases = [
    { given: "a 5-second token and a 60-second skew", expiresAt: 5_000, obtainedAt: 0, skewMs: 60_000, want: 2_500 },
    { given: "an hour-long token and a 60-second skew", expiresAt: 3_600_000, obtainedAt: 0, skewMs: 60_000, want: 3_540_000 },
    { given: "a token of unknown lifetime", expiresAt: 5_000, obtainedAt: undefined, skewMs: 60_000, want: -55_000 },
    { given: "a token obtained after its expiry (a clock step)", expiresAt: 5_000, obtainedAt: 9_000, skewMs: 60_000, want: 5_000 },
  ];
  for (const { given, expiresAt, obtainedAt, skewMs, want } of cases) {
    it(given, () => expect(refreshAt(expiresAt, obtainedAt, skewMs)).toBe(want));
  }
});
