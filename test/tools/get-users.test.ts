import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { refusesBadInput, useHarness } from "../helpers/tool-test.ts";

describe("get_users", () => {
  const h = useHarness();

  it("finds users by name", async () => {
    const users = (await h().call("get_users", { search: "dallas", pageSize: 5 })).structuredContent as {
      users: { location: string }[];
    };
    assert.ok(users.users.length > 0);
    assert.ok(users.users.every((u) => /dallas/i.test(JSON.stringify(u))));
  });
  describe("bad input", () => {
    refusesBadInput(h, "get_users", [[{ search: 42 }, /search/]]);
  });
});
