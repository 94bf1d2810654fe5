/**
 * application/x-www-form-urlencoded with bracket nesting, as Stripe and Twilio expect:
 * `{ metadata: { order: 1 }, items: [{ price: "p" }] }` becomes `metadata[order]=1&items[0][price]=p`.
 * Undefined values are left out; null becomes an empty value (Stripe's way to unset a field).
 */
export function encodeForm(value: Readonly<Record<string, unknown>>): string {
  const pairs: string[] = [];
  const visit = (key: string, item: unknown): void => {
    if (item === undefined) return;
    if (item === null) {
      pairs.push(`${encodeURIComponent(key)}=`);
    } else if (Array.isArray(item)) {
      item.forEach((element, index) => visit(`${key}[${index}]`, element));
    } else if (item instanceof Date) {
      pairs.push(`${encodeURIComponent(key)}=${Math.floor(item.getTime() / 1000)}`);
    } else if (typeof item === "object") {
      for (const [k, v] of Object.entries(item)) visit(`${key}[${k}]`, v);
    } else {
      pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(item))}`);
    }
  };
  for (const [k, v] of Object.entries(value)) visit(k, v);
  return pairs.join("&");
}
