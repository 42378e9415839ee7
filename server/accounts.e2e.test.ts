// Accounts over HTTP against a running server: login (R-A1), policy (R-A2), change and expiry (R-A3), forgot password
// through a real SMTP receiver on loopback (R-A4), throttling with generic failures, and disabling an agent.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { closeCodes } from "../protocol/messages/index.ts";
import { passwordProblems } from "./accounts/passwords.ts";
import { addAdmin, addAgent, Client, login, type TestServer, testPassword, testServer } from "./testing.ts";

const mails: string[] = [];
const mailWaiters: Array<(text: string) => void> = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  logger: false,
  onData(stream, _session, done) {
    let text = "";
    stream.on("data", (d: Buffer) => {
      text += d.toString("utf8");
    });
    stream.on("end", () => {
      const w = mailWaiters.shift();
      if (w) w(text);
      else mails.push(text);
      done();
    });
  },
});
const nextMail = () =>
  new Promise<string>((resolve) => (mails.length ? resolve(mails.shift()!) : mailWaiters.push(resolve)));

let t: TestServer;
let admin: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  t = await testServer(
    {},
    {
      smtp: { host: "127.0.0.1", port, secure: false, from: "tandem@example.test" },
      accounts: {
        loginFailuresPerAccountMax: 3,
        loginFailuresPerAddressMax: 8,
        loginThrottleWindowMs: 60_000,
      },
    },
  );
  admin = await addAdmin(t);
});
afterAll(async () => {
  await t.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const post = async (path: string, body: unknown, token?: string) => {
  const res = await fetch(`${t.url}${path}`, {
    method: path.startsWith("/api/admin") ? "PUT" : "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe("accounts", () => {
  test("R-A2: the password policy wants 8–32 characters, three classes, and not the login ID or a name", () => {
    const who = { email: "ann@example.test", firstName: "Annabelle", lastName: "Archer" };
    expect(passwordProblems("Abcdef1!", who)).toEqual([]);
    expect(passwordProblems("Ab1!", who)).toHaveLength(1);
    expect(passwordProblems("abcdefgh1", who)).toHaveLength(1);
    expect(passwordProblems(`${"x".repeat(30)}A1`, who)).toEqual([]);
    expect(passwordProblems("Aa1".repeat(11), who)).toEqual(["must be 8 to 32 characters"]);
    expect(passwordProblems("ANNABELLE1a", { ...who, firstName: "annabelle1A" })).toContain(
      "must not be your first or last name",
    );
    expect(passwordProblems("Ann@example.test", { ...who, email: "ann@example.test" })).toContain(
      "must not be the login ID",
    );
  });

  test("R-A1: an agent logs in with e-mail and password; every failure gets the same generic message", async () => {
    const ann = await addAgent(t, "ann");
    expect(typeof (await login(t.url, ann.email.toUpperCase()))).toBe("string");
    const wrong = await post("/api/login", { email: ann.email, password: "Wrong-pass-1" });
    const unknown = await post("/api/login", { email: "nobody@example.test", password: "Wrong-pass-1" });
    expect(wrong).toEqual({
      status: 401,
      body: { error: "LoginFailed", message: "Login ID or password is incorrect." },
    });
    expect(unknown).toEqual(wrong);
  });

  test("disabling an agent closes their sockets and refuses their next login", async () => {
    const fay = await addAgent(t, "fay");
    const f = await Client.agent({ url: t.url, wsUrl: t.wsUrl }, fay.email);
    const r = await post(`/api/admin/agents/${fay.id}`, { disabled: true }, admin);
    expect(r.status).toBe(200);
    expect(await f.closed()).toBe(closeCodes.LoggedOut);
    expect((await post("/api/login", { email: fay.email, password: testPassword })).status).toBe(401);
  });

  test("login throttling: after repeated failures an account is refused even with the right password", async () => {
    const bob = await addAgent(t, "bob");
    for (let i = 0; i < 3; i++)
      expect((await post("/api/login", { email: bob.email, password: "Nope-nope-1" })).status).toBe(401);
    const throttled = await post("/api/login", { email: bob.email, password: testPassword });
    expect(throttled.status).toBe(429);
    // The address is throttled too: other accounts from here are refused once its budget is spent.
    for (let i = 0; i < 6; i++)
      await post("/api/login", { email: `ghost${i}@example.test`, password: "Nope-nope-1" });
    const cleo = await addAgent(t, "cleo");
    expect((await post("/api/login", { email: cleo.email, password: testPassword })).status).toBe(429);
  });
});

describe("accounts with a fresh address budget", () => {
  let u: TestServer;
  beforeAll(async () => {
    const port = (smtp.server.address() as AddressInfo).port;
    u = await testServer(
      {},
      { smtp: { host: "127.0.0.1", port, secure: false, from: "tandem@example.test" } },
    );
  });
  afterAll(async () => {
    await u.close();
  });
  const send = async (path: string, body: unknown) => {
    const res = await fetch(`${u.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  test("R-A3: an expired password must be changed (login ID, current, new, repeat) before logging in", async () => {
    const dan = await addAgent(u, "dan");
    u.server.store.put(
      "UPDATE accounts SET password_changed_at = ? WHERE email = ?",
      Date.now() - 91 * 86_400_000,
      dan.email,
    );
    expect((await send("/api/login", { email: dan.email, password: testPassword })).body.error).toBe(
      "PasswordExpired",
    );
    const mismatch = await send("/api/password/change", {
      email: dan.email,
      current: testPassword,
      next: "New-pass-22",
      repeat: "New-pass-23",
    });
    expect(mismatch.body.error).toBe("mismatch");
    const weak = await send("/api/password/change", {
      email: dan.email,
      current: testPassword,
      next: "weakweak",
      repeat: "weakweak",
    });
    expect(weak.body.error).toBe("policy");
    expect(
      (
        await send("/api/password/change", {
          email: dan.email,
          current: testPassword,
          next: "New-pass-22",
          repeat: "New-pass-22",
        })
      ).status,
    ).toBe(200);
    expect(typeof (await login(u.url, dan.email, "New-pass-22"))).toBe("string");
  });

  test("R-A4: forgot password mails a single-use link over SMTP; following it sets a new password", async () => {
    const eve = await addAgent(u, "eve");
    expect(
      (await send("/api/password/forgot", { email: eve.email, repeat: "other@example.test" })).status,
    ).toBe(400);
    const sent = await send("/api/password/forgot", { email: eve.email, repeat: eve.email });
    expect(sent.status).toBe(200);
    const mail = await nextMail();
    expect(mail).toContain(`To: ${eve.email}`);
    const link = /(http:\/\/\S+\/reset\?token=[\w-]+)/
      .exec(mail.replace(/=\r?\n/g, ""))![1]!
      .replace(/=3D/g, "=");
    const page = await fetch(link);
    expect(await page.text()).toContain("reset.js");
    const token = new URL(link).searchParams.get("token")!;
    expect(
      (await send("/api/password/reset", { token, next: "Reset-pass-9", repeat: "Reset-pass-9" })).status,
    ).toBe(200);
    expect(typeof (await login(u.url, eve.email, "Reset-pass-9"))).toBe("string");
    expect(
      (await send("/api/password/reset", { token, next: "Again-pass-9", repeat: "Again-pass-9" })).body.error,
    ).toBe("invalid");
    // Unknown addresses get the same answer and no mail.
    expect(
      (await send("/api/password/forgot", { email: "nobody@example.test", repeat: "nobody@example.test" }))
        .body,
    ).toEqual(sent.body);
  });
});
