import { describe, expect, it } from "vitest";
import { KmsError } from "./kms-errors";
import { LIMITS, MarkerCodec, paginate, pageFields, readLimit } from "./paging";

const markers = new MarkerCodec("test-secret");
const items = Array.from({ length: 23 }, (_, i) => i);

function errorCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as KmsError).code;
  }
  return undefined;
}

describe("readLimit", () => {
  it("uses the operation's default and accepts the documented range", () => {
    expect(readLimit({}, LIMITS.ListKeys)).toBe(100);
    expect(readLimit({}, LIMITS.ListAliases)).toBe(50);
    expect(readLimit({}, LIMITS.ListResourceTags)).toBe(50);
    expect(readLimit({ Limit: 1000 }, LIMITS.ListKeys)).toBe(1000);
    expect(readLimit({ Limit: 1 }, LIMITS.ListResourceTags)).toBe(1);
  });

  it("rejects a Limit outside the range with ValidationException", () => {
    expect(errorCode(() => readLimit({ Limit: 0 }, LIMITS.ListKeys))).toBe("ValidationException");
    expect(errorCode(() => readLimit({ Limit: 1001 }, LIMITS.ListKeys))).toBe("ValidationException");
    expect(errorCode(() => readLimit({ Limit: 101 }, LIMITS.ListAliases))).toBe("ValidationException");
    expect(errorCode(() => readLimit({ Limit: 51 }, LIMITS.ListResourceTags))).toBe("ValidationException");
    expect(errorCode(() => readLimit({ Limit: "10" }, LIMITS.ListKeys))).toBe("SerializationException");
  });
});

describe("paginate", () => {
  it("walks all items with opaque markers and leaves NextMarker out on the last page", () => {
    const seen: number[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = paginate(items, { Limit: 10, Marker: marker }, LIMITS.ListKeys, "ListKeys:1:r", markers);
      seen.push(...page.items);
      marker = page.nextMarker;
      pages++;
      if (!marker) expect(pageFields(page)).toEqual({ Truncated: false });
      else expect(marker).not.toContain("10");
    } while (marker);
    expect(seen).toEqual(items);
    expect(pages).toBe(3);
  });

  it("answers an empty list with one empty, untruncated page", () => {
    const page = paginate([], {}, LIMITS.ListKeys, "s", markers);
    expect(page).toEqual({ items: [], truncated: false });
  });

  it("rejects tampered, foreign and garbage markers with InvalidMarkerException", () => {
    const marker = paginate(items, { Limit: 5 }, LIMITS.ListKeys, "ListKeys:1:r", markers).nextMarker!;
    const tampered = Buffer.from(Buffer.from(marker, "base64url").toString().replace("|5|", "|6|")).toString(
      "base64url",
    );
    const scope = "ListKeys:1:r";
    expect(errorCode(() => paginate(items, { Marker: tampered }, LIMITS.ListKeys, scope, markers))).toBe(
      "InvalidMarkerException",
    );
    expect(
      errorCode(() => paginate(items, { Marker: marker }, LIMITS.ListAliases, "ListAliases:1:r:", markers)),
    ).toBe("InvalidMarkerException");
    expect(
      errorCode(() => paginate(items, { Marker: marker }, LIMITS.ListKeys, scope, new MarkerCodec("other"))),
    ).toBe("InvalidMarkerException");
    expect(
      errorCode(() => paginate(items, { Marker: "not-a-marker" }, LIMITS.ListKeys, scope, markers)),
    ).toBe("InvalidMarkerException");
    expect(errorCode(() => paginate(items, { Marker: "" }, LIMITS.ListKeys, scope, markers))).toBe(
      "ValidationException",
    );
  });
});
