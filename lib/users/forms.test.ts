import { describe, expect, it } from "vitest";
import { checkAddUserForm, checkPasswordForm, readAddUserForm } from "./forms";

function post(fields: Record<string, string>) {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

const USER = {
  email: "New.Person@Example.com",
  name: "",
  role: "viewer",
  password: "a-long-enough-password",
  repeat: "a-long-enough-password",
};

describe("the users page's forms, checked before sending", () => {
  it("passes a valid new user; a blank name is no name", () => {
    expect(checkAddUserForm(post(USER))).toEqual({});
    expect(readAddUserForm(post(USER)).name).toBeUndefined();
  });

  it("puts each complaint beside its field", () => {
    expect(
      checkAddUserForm(
        post({ ...USER, email: "not-an-email", role: "owner", password: "short", repeat: "short" }),
      ),
    ).toEqual({
      email: ["Enter a valid email address"],
      role: ["Role must be admin, analyst or viewer"],
      password: ["Password must be at least 12 characters"],
    });
  });

  it("asks for the same password twice, beside the repeat", () => {
    expect(checkPasswordForm(post({ password: USER.password, repeat: `${USER.password}!` }))).toEqual({
      repeat: ["The passwords do not match."],
    });
    expect(checkPasswordForm(post({ password: USER.password, repeat: USER.password }))).toEqual({});
  });
});
