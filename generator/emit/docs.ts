/** JSDoc blocks built from spec text, escaped. */
import { docText } from "../common/escape.js";
import type { PayloadDeclaration, SpecModel } from "../model/ir.js";
import type { Docs, TypeAliasDeclaration } from "./declarations.js";

/** One JSDoc block from paragraphs and tags; nothing when everything is empty. */
export function jsDoc(paragraphs: readonly (string | undefined)[], tags: readonly { tagName: string; text?: string }[] = []): Docs {
  const description = paragraphs
    .filter((p): p is string => p !== undefined && p.trim() !== "")
    .map(docText)
    .join("\n\n");
  if (description === "" && tags.length === 0) return [];
  return [
    {
      ...(description !== "" && { description }),
      tags: tags.map((t) => ({ tagName: t.tagName, ...(t.text !== undefined && { text: docText(t.text) }) })),
    },
  ];
}

/** An exported type alias for a named type the converter made, saying which schema it came from. */
export function declaration(d: PayloadDeclaration): TypeAliasDeclaration {
  return {
    kind: "typeAlias",
    isExported: true,
    name: d.name,
    type: d.type,
    docs: jsDoc([d.description, `From \`${d.source}\`.`], d.deprecated === true ? [{ tagName: "deprecated" }] : []),
  };
}

/** A "Sources:" paragraph listing where a section's facts come from. */
export function sources(model: SpecModel, section: string): string[] {
  const list = model.sources[section];
  return list && list.length > 0 ? [`Sources:\n${bulletList(list)}`] : [];
}

/** One paragraph of "- item" lines; undefined when there are no items. */
export function bulletList(items: readonly string[]): string | undefined {
  return items.length === 0 ? undefined : items.map((item) => `- ${item.replace(/\s*[\r\n\u2028\u2029]+\s*/g, " ")}`).join("\n");
}
