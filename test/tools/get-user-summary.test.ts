import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { answers, textOf, usePinnedHarness } from "../helpers/tool-test.ts";

describe("get_user_summary", () => {
  const h = usePinnedHarness();
  const { failure } = answers(h);

  it("never picks one of several users a name could mean: lists them to pick from (issue 20, item 2)", async () => {
    const text = await failure("get_user_summary", { user: "Ingrid" });
    assert.match(
      text,
      /"Ingrid" matches \d+ users in tenant acme: Ingrid \w+ \(ingrid\.\w+@acme\.example\), Ingrid \w+ \(/,
    );
    assert.match(text, /Call get_user_summary again with user set to one of these emails/);
    const one = await h().call("get_user_summary", { user: "Ingrid Hughes" });
    assert.match(textOf(one), /^User Ingrid Hughes \(ingrid\.hughes@acme\.example/);
    assert.match(
      await failure("get_user_summary", { user: "Zzyzx Qwerty" }),
      /No user matches "Zzyzx Qwerty" in tenant acme\./,
    );
  });
});
