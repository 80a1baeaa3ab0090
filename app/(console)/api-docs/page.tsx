import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableCell, TableRow, TableRowHead } from "@/components/ui/table";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { requirePageUser } from "@/lib/auth/session";
import { PropertiesTable } from "./_components/properties-table";
import { SchemaText, schemaAnchor, type JsonSchema } from "./_components/schema-text";

export const metadata: Metadata = { title: "API" };

interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  parameters?: { name: string; in: string; required: boolean; description?: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: JsonSchema }> }>;
}
interface Doc {
  info: { description: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** The OpenAPI document the API serves (/api/v1/openapi.json), read by people: endpoints, parameters, schemas. */
export default async function ApiDocsPage() {
  await requirePageUser();
  const doc = buildOpenApiDocument() as unknown as Doc;
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="API"
        description={
          <>
            {doc.info.description} Create a token on{" "}
            <Link href="/tokens" className="text-primary underline underline-offset-4">
              API tokens
            </Link>
            ; the machine-readable document is{" "}
            <a href="/api/v1/openapi.json" className="text-primary underline underline-offset-4">
              /api/v1/openapi.json
            </a>
            .
          </>
        }
      />
      <nav aria-label="Endpoints">
        <ul className="grid gap-1 text-sm">
          {operations.map(({ path, method, op }) => (
            <li key={op.operationId}>
              <a href={`#${op.operationId}`} className="text-primary underline underline-offset-4">
                <code>
                  {method.toUpperCase()} /api/v1{path}
                </code>
              </a>{" "}
              <span className="text-muted-foreground">{op.summary}</span>
            </li>
          ))}
        </ul>
      </nav>
      {operations.map(({ path, method, op }) => (
        <Card key={op.operationId} id={op.operationId}>
          <CardHeader>
            <CardTitle className="flex flex-wrap items-center gap-2">
              <Badge variant={method === "get" ? "secondary" : "default"}>{method.toUpperCase()}</Badge>
              <code className="[overflow-wrap:anywhere]">/api/v1{path}</code>
            </CardTitle>
            <CardDescription>
              {op.summary}
              {op.description ? `. ${op.description}` : ""}
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            {op.parameters?.length ? (
              <Table
                caption="Parameters"
                captionLook="note"
                bare
                columns={["Name", "In", "Type", "Description"]}
              >
                {op.parameters.map((p) => (
                  <TableRow key={`${p.in}-${p.name}`}>
                    <TableRowHead>
                      <code className="text-xs">{p.name}</code>
                      {p.required && <span className="text-xs text-muted-foreground"> (required)</span>}
                    </TableRowHead>
                    <TableCell>{p.in}</TableCell>
                    <TableCell className="text-xs">
                      <SchemaText schema={p.schema} />
                    </TableCell>
                    <TableCell className="max-w-md text-xs text-muted-foreground">{p.description}</TableCell>
                  </TableRow>
                ))}
              </Table>
            ) : null}
            {op.requestBody && (
              <PropertiesTable
                caption="Body (JSON)"
                schema={op.requestBody.content["application/json"]!.schema}
              />
            )}
            <Table caption="Responses" captionLook="note" bare columns={["Status", "Body", "Meaning"]}>
              {Object.entries(op.responses).map(([status, r]) => (
                <TableRow key={status}>
                  <TableRowHead>{status}</TableRowHead>
                  <TableCell className="text-xs">
                    {Object.entries(r.content ?? {}).map(([type, c]) => (
                      <span key={type} className="block">
                        <code>{type}</code>
                        {c.schema?.properties ? (
                          <> object {`{ ${Object.keys(c.schema.properties).join(", ")} }`}</>
                        ) : c.schema ? (
                          <>
                            {" "}
                            <SchemaText schema={c.schema} />
                          </>
                        ) : null}
                      </span>
                    ))}
                  </TableCell>
                  <TableCell className="max-w-md text-xs text-muted-foreground">{r.description}</TableCell>
                </TableRow>
              ))}
            </Table>
          </CardContent>
        </Card>
      ))}
      <h2 className="text-lg font-semibold">Schemas</h2>
      {Object.entries(doc.components.schemas).map(([name, schema]) => (
        <Card key={name} id={schemaAnchor(name)}>
          <CardHeader>
            <CardTitle>{name}</CardTitle>
            {schema.description && <CardDescription>{schema.description}</CardDescription>}
          </CardHeader>
          <CardContent>
            <PropertiesTable caption={`Fields of ${name}`} schema={schema} />
          </CardContent>
        </Card>
      ))}
    </div>
  );
}
