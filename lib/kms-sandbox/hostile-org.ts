// The `hostile` fault for Organizations and the Account API: valid JSON in their shapes, with
// unknown enum values and members, optional fields left out, and odd names.
import { isHostileTarget, UNKNOWN_MEMBER } from "./hostile";
import type { Json } from "./kms-wire";

function hostileAccount(account: Json): Json {
  const out: Json = { ...account, ...UNKNOWN_MEMBER };
  delete out.Email;
  delete out.JoinedMethod;
  delete out.JoinedTimestamp;
  if (isHostileTarget(String(account.Id))) {
    out.Status = "FUTURE_STATUS";
    out.State = "FUTURE_STATE";
    out.Name = "\u202Egnp.exe\u202C <script>alert(1)</script>";
  }
  return out;
}

function hostileUnit(unit: Json): Json {
  const out: Json = { ...unit, ...UNKNOWN_MEMBER };
  delete out.Path;
  if (isHostileTarget(String(unit.Id))) out.Name = "Z\u0351\u0360a\u0334l\u0337go \u200B👩‍👩‍👧‍👦";
  return out;
}

const mapList = (answer: Json, member: string, map: (item: Json) => Json): Json => ({
  ...answer,
  ...UNKNOWN_MEMBER,
  [member]: (answer[member] as Json[]).map(map),
});

export function hostileOrgAnswer(operation: string, answer: Json): Json {
  switch (operation) {
    case "ListAccounts":
    case "ListAccountsForParent":
      return mapList(answer, "Accounts", hostileAccount);
    case "DescribeAccount":
      return { Account: hostileAccount(answer.Account as Json) };
    case "ListOrganizationalUnitsForParent":
      return mapList(answer, "OrganizationalUnits", hostileUnit);
    case "DescribeOrganizationalUnit":
      return { OrganizationalUnit: hostileUnit(answer.OrganizationalUnit as Json) };
    case "ListChildren":
      return mapList(answer, "Children", (child) => ({ ...child, ...UNKNOWN_MEMBER }));
    case "ListRegions": {
      const regions = answer.Regions as Json[];
      // A region the client has never heard of, in a state it has never seen, on the last page.
      const future = answer.NextToken
        ? []
        : [{ RegionName: "xx-future-1", RegionOptStatus: "FUTURE_STATUS" }];
      return { ...answer, ...UNKNOWN_MEMBER, Regions: [...regions, ...future] };
    }
    default:
      return { ...answer, ...UNKNOWN_MEMBER };
  }
}
