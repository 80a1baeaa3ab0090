import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

const parse = (vars: Record<string, string>) => () => parseEnv(vars as unknown as NodeJS.ProcessEnv);

describe("parseEnv", () => {
  it("takes PostgreSQL URLs and the console's http(s) address", () => {
    const env = parseEnv({
      DATABASE_URL: "postgresql://app:pw@db.internal:5432/insights",
      DATABASE_OWNER_URL: "postgres://owner:pw@db.internal/insights",
      NEXTAUTH_URL: "https://insights.example.com",
    } as unknown as NodeJS.ProcessEnv);
    expect(env.DATABASE_URL).toBe("postgresql://app:pw@db.internal:5432/insights");
    expect(env.NEXTAUTH_URL).toBe("https://insights.example.com");
  });

  it("refuses a URL of another scheme, naming the variable and what it must be", () => {
    expect(parse({ DATABASE_URL: "mysql://app@db/insights" })).toThrow(
      /DATABASE_URL: must be a PostgreSQL URL \(postgres:\/\/… or postgresql:\/\/…\)/,
    );
    expect(parse({ DATABASE_OWNER_URL: "http://db/insights" })).toThrow(
      /DATABASE_OWNER_URL: must be a PostgreSQL URL/,
    );
    expect(parse({ NEXTAUTH_URL: "ftp://insights.example.com" })).toThrow(
      /NEXTAUTH_URL: must be the console's address \(http:\/\/… or https:\/\/…\)/,
    );
    expect(parse({ DATABASE_URL: "notaurl" })).toThrow(/DATABASE_URL: Invalid URL/);
  });
});
