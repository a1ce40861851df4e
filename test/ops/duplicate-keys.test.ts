import { describe, expect, it } from "vitest";
import { duplicateKeys } from "./duplicate-keys.js";

describe("duplicateKeys", () => {
  it("finds a key written twice at the top, inside nested objects and inside arrays", () => {
    expect(duplicateKeys('{"name":"probot","a":1,"name":"github"}')).toEqual(["name"]);
    expect(duplicateKeys('{"error":{"status":403,"status":404}}')).toEqual(["error.status"]);
    expect(duplicateKeys('{"list":[{"id":1},{"id":2,"id":3}]}')).toEqual(["list[].id"]);
  });

  it("finds nothing when each object names each key once, whatever the strings hold", () => {
    expect(
      duplicateKeys('{"msg":"\\"name\\":1,\\"name\\":2","a":{"name":1},"b":{"name":2},"c":[]}'),
    ).toEqual([]);
    expect(duplicateKeys('{ "a" : [ 1 , true , null , -2.5e3 ] , "b" : { } }')).toEqual([]);
  });

  it("refuses a line that is not JSON", () => {
    expect(() => duplicateKeys('{"a":1')).toThrow(SyntaxError);
  });
});
