import { Table, TableCell, TableRow, TableRowHead } from "@/components/ui/table";
import { SchemaText, type JsonSchema } from "./schema-text";

/** An object schema's fields: name, type, required, description (nested objects one level down). */
export function PropertiesTable({ caption, schema }: { caption: string; schema: JsonSchema }) {
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties ?? {});
  return (
    <Table caption={caption} bare columns={["Field", "Type", "Required", "Description"]}>
      {rows.map(([name, field]) => (
        <TableRow key={name}>
          <TableRowHead>
            <code className="text-xs">{name}</code>
          </TableRowHead>
          <TableCell className="text-xs">
            {field.properties ? (
              `object { ${Object.keys(field.properties).join(", ")} }`
            ) : (
              <SchemaText schema={field} />
            )}
          </TableCell>
          <TableCell>{required.has(name) ? "yes" : "no"}</TableCell>
          <TableCell className="max-w-md text-xs text-muted-foreground">{field.description}</TableCell>
        </TableRow>
      ))}
    </Table>
  );
}
