import { describe, expect, it } from "vitest";
import { z } from "zod";
import extract from "./ocsf-1.3.0-extract.json";
import { ocsfDetectionFindingSchema } from "./ocsf-detection-finding";

// The hand-written schema against the attribute lists of OCSF 1.3.0 itself (ocsf-1.3.0-extract.json,
// generated from the ocsf/ocsf-schema repository at tag 1.3.0): each object allows exactly OCSF's
// attributes, and requires at least what OCSF requires.

/** The object schema inside optional and array wrappers. */
function objectOf(schema: z.ZodType): z.ZodObject {
  let s: z.ZodType = schema;
  for (;;) {
    if (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodArray) s = s.element as z.ZodType;
    else if (s instanceof z.ZodObject) return s;
    else throw new Error(`not an object schema: ${s.constructor.name}`);
  }
}

const top = ocsfDetectionFindingSchema;
const OBJECTS: Record<keyof typeof extract.objects, z.ZodObject | null> = {
  metadata: objectOf(top.shape.metadata),
  product: objectOf(objectOf(top.shape.metadata).shape.product as z.ZodType),
  feature: objectOf(
    objectOf(objectOf(top.shape.metadata).shape.product as z.ZodType).shape.feature as z.ZodType,
  ),
  finding_info: objectOf(top.shape.finding_info),
  analytic: objectOf(objectOf(top.shape.finding_info).shape.analytic as z.ZodType),
  cloud: objectOf(top.shape.cloud),
  account: objectOf(objectOf(top.shape.cloud).shape.account as z.ZodType),
  resource_details: objectOf(top.shape.resources),
  remediation: objectOf(top.shape.remediation),
  compliance: null, // not an attribute of a Detection Finding: only in `unmapped`
};

function expectMatches(name: string, schema: z.ZodObject, attributes: Record<string, string>) {
  expect(Object.keys(schema.shape).sort(), name).toEqual(Object.keys(attributes).sort());
  for (const [attribute, requirement] of Object.entries(attributes)) {
    if (requirement !== "required") continue;
    const field = schema.shape[attribute] as z.ZodType;
    expect(field.safeParse(undefined).success, `${name}.${attribute} is required`).toBe(false);
  }
}

describe("the OCSF schema of the export", () => {
  it("is OCSF 1.3.0's Detection Finding with the cloud profile: its attributes, its required ones", () => {
    expect(extract.version).toBe("1.3.0");
    expectMatches("detection_finding", top, extract.detection_finding);
  });

  it.each(Object.keys(OBJECTS).filter((name) => OBJECTS[name as keyof typeof OBJECTS]))(
    "%s allows exactly OCSF 1.3.0's attributes and requires its required ones",
    (name) => {
      const key = name as keyof typeof extract.objects;
      expectMatches(name, OBJECTS[key]!, extract.objects[key]);
    },
  );

  it.each([
    ["severity_id", top.shape.severity_id],
    ["status_id", top.shape.status_id],
    ["activity_id", top.shape.activity_id],
    ["analytic.type_id", OBJECTS.analytic!.shape.type_id],
    ["account.type_id", OBJECTS.account!.shape.type_id],
  ] as const)("%s takes exactly OCSF 1.3.0's ids", (name, field) => {
    const accepted = Array.from({ length: 120 }, (_, id) => id).filter(
      (id) => (field as z.ZodType).safeParse(id).success,
    );
    expect(accepted).toEqual(extract.enums[name]);
  });
});
