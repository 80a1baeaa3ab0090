import { describe, expect, it } from "vitest";
import { coverageFix, principalFromMessage } from "./fix";

describe("the missing statement of a refusal", () => {
  it("takes the console's principal from AWS's message: an assumed role's role, or a user", () => {
    expect(
      principalFromMessage(
        "AccessDenied: User: arn:aws:sts::111122223333:assumed-role/console/i-0abc is not authorized to perform: sts:AssumeRole",
      ),
    ).toBe("arn:aws:iam::111122223333:role/console");
    expect(
      principalFromMessage("User: arn:aws-cn:iam::111122223333:user/ops is not authorized to perform: x"),
    ).toBe("arn:aws-cn:iam::111122223333:user/ops");
    expect(principalFromMessage("Rate exceeded")).toBeNull();
  });

  it("uses a placeholder principal and no external id condition when it has neither", () => {
    const fix = coverageFix({ call: "sts:AssumeRole", message: null, roleArn: null, hasExternalId: false });
    const statement = JSON.parse(fix!.statement) as { Principal: { AWS: string }; Condition?: unknown };
    expect(statement.Principal.AWS).toMatch(/^arn:aws:iam::<console-account-id>:role\//);
    expect(statement.Condition).toBeUndefined();
  });

  it("has no statement for a failure that no permission fixes", () => {
    expect(
      coverageFix({ call: null, message: "ECONNREFUSED", roleArn: null, hasExternalId: false }),
    ).toBeNull();
  });
});
