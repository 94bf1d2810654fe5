import { describe, expect, it } from "vitest";
import { closest, didYouMean, editDistance } from "../../../generator/common/did-you-mean.js";

describe("editDistance", () => {
  const cases: [string, string, number][] = [
    ["", "", 0],
    ["same", "same", 0],
    ["", "abc", 3],
    ["abc", "", 3],
    ["kitten", "sitting", 3],
    ["title", "titel", 1], // a swap of two adjacent characters is one edit
    ["ab", "ba", 1],
    ["bearer", "baerer", 1],
    ["ca", "abc", 3], // optimal string alignment: a swapped pair is not edited again
    ["Title", "title", 1], // case-sensitive here; closest() compares in lower case
  ];

  it.each(cases)("%j to %j is %i", (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });
});

describe("closest", () => {
  const cases: [string, string, string[], string | undefined][] = [
    ["a swapped pair", "titel", ["name", "title", "description"], "title"],
    ["a missing letter", "globl", ["global", "files"], "global"],
    ["a different case", "apikey", ["apiKey", "basic"], "apiKey"],
    ["a wrong letter in an enum value", "GTE", ["GET", "HEAD", "POST"], "GET"],
    ["the nearest of several", "widgetRead", ["widgetReads", "widgets"], "widgetReads"],
    ["nothing close enough", "colour", ["name", "title", "description"], undefined],
    ["a one-character value replaced entirely", "3", ["1", "2"], undefined],
    ["no candidates", "title", [], undefined],
    ["ties go to the first in code-unit order", "cat", ["hat", "bat"], "bat"],
  ];

  it.each(cases)("%s", (_name, input, candidates, expected) => {
    expect(closest(input, candidates)).toBe(expected);
  });

  it("accepts any iterable", () => {
    expect(closest("defualt", new Set(["default", "description"]))).toBe("default");
  });
});

describe("didYouMean", () => {
  it("formats a suggestion to append to a message", () => {
    expect(didYouMean("titel", ["title"])).toBe('; did you mean "title"?');
  });

  it("is empty when nothing is close", () => {
    expect(didYouMean("zzz", ["title"])).toBe("");
  });
});
