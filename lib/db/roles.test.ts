import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { APP_ROLE, appRoleGrants, roleOf } from "./roles";

describe("the application role's grants", () => {
  it("are the ones the README's Database roles section lists, in its order", () => {
    const readme = readFileSync("README.md", "utf8");
    const section = readme.slice(readme.indexOf("## Database roles"), readme.indexOf("## Performance"));
    const listed = section.split("\n").filter((l) => /^(GRANT|REVOKE) /.test(l));
    expect(listed).toEqual(appRoleGrants(APP_ROLE, "kms_insights", "pgboss").map((sql) => `${sql};`));
  });

  it("never give the audit log more than reading and appending", () => {
    const grants = appRoleGrants(APP_ROLE, "kms_insights", null);
    const tablesWide = grants.findIndex((g) => g.includes("ON ALL TABLES IN SCHEMA public"));
    const auditRevoke = grants.findIndex((g) => /^REVOKE UPDATE, DELETE, TRUNCATE ON audit_log /.test(g));
    expect(tablesWide).toBeGreaterThanOrEqual(0);
    expect(auditRevoke).toBeGreaterThan(tablesWide);
    expect(grants.some((g) => g.includes("pgboss"))).toBe(false);
  });

  it("name the role of a connection URL, decoded", () => {
    expect(roleOf("postgresql://kms%5Fapp:p%40ss@127.0.0.1:5433/db")).toBe("kms_app");
  });
});
