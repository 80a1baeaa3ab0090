/**
 * The opening tags named `tag` in server-rendered markup, each as its attributes (an attribute
 * without a value is ""), in document order: enough to assert what a component renders without a
 * DOM, whatever order React writes the attributes in.
 */
export function tagsIn(html: string, tag: string): Record<string, string>[] {
  const tags = html.match(new RegExp(`<${tag}(?=[\\s/>])[^>]*>`, "g")) ?? [];
  return tags.map((t) => {
    const attributes: Record<string, string> = {};
    for (const [, name, value] of t.matchAll(/\s([\w:-]+)(?:="([^"]*)")?/g))
      attributes[name!] = (value ?? "").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
    return attributes;
  });
}
