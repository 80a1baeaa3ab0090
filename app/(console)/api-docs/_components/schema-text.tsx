// A JSON Schema of the OpenAPI document as a person reads it: `string`, `Finding[]`, `"a" | "b"`,
// `integer | null`; references link to the schema's section below.

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  description?: string;
  pattern?: string;
  format?: string;
};

export const schemaAnchor = (name: string) => `schema-${name}`;

export function SchemaText({ schema }: { schema: JsonSchema | undefined }) {
  if (!schema) return <>any</>;
  if (schema.$ref) {
    const name = schema.$ref.split("/").at(-1)!;
    return (
      <a href={`#${schemaAnchor(name)}`} className="text-primary underline underline-offset-4">
        {name}
      </a>
    );
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives)
    return (
      <>
        {alternatives.map((s, i) => (
          <span key={i}>
            {i > 0 && " | "}
            <SchemaText schema={s} />
          </span>
        ))}
      </>
    );
  if (schema.enum) return <>{schema.enum.map((v) => JSON.stringify(v)).join(" | ")}</>;
  const types = [schema.type ?? (schema.properties ? "object" : "any")].flat();
  return (
    <>
      {types.map((t, i) => (
        <span key={t}>
          {i > 0 && " | "}
          {t === "array" ? (
            <>
              <SchemaText schema={schema.items} />
              []
            </>
          ) : t === "object" &&
            schema.additionalProperties &&
            typeof schema.additionalProperties === "object" ? (
            <>
              map of <SchemaText schema={schema.additionalProperties} />
            </>
          ) : (
            <>
              {t}
              {schema.format ? ` (${schema.format})` : ""}
            </>
          )}
        </span>
      ))}
    </>
  );
}
