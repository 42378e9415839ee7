// Browser-test support: an agent signs in to the real console, a customer posts, the agent answers the alert and opens
// the chat tab — the opening every console browser test shares.
import type { Page } from "playwright-core";
import {
  addAgent,
  addPortal,
  customerPost,
  type Msg,
  type TestServer,
  testPassword,
} from "../../server/testing.ts";

export interface OpenedSession {
  agent: { id: string; email: string };
  portalId: string;
  /** The customer's protocol client. */
  customer: Awaited<ReturnType<typeof customerPost>>["c"];
  /** The customer's `session.joined` message: session id and the host command and key. */
  joined: Msg;
}

export async function signIn(page: Page, t: TestServer, email: string): Promise<void> {
  await page.goto(`${t.url}/console`);
  await page.getByLabel("Login ID (e-mail)").fill(email);
  await page.getByLabel("Password").fill(testPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator(".conn[data-status=online]").waitFor();
}

/** A new agent and SmartBox portal; the agent answers `customerName`'s request in the console and opens its tab. */
export async function openSession(
  page: Page,
  t: TestServer,
  customerName: string,
  question = "help",
): Promise<OpenedSession> {
  const agent = await addAgent(t, "ann");
  const portalId = addPortal(t, { type: "smartBox", mode: "standard", members: [agent.id] });
  await signIn(page, t, agent.email);
  const { c: customer } = await customerPost(t, { portalId, name: customerName, question });
  await page.locator(".alert", { hasText: customerName }).getByRole("button", { name: "Yes" }).click();
  const joined = await customer.next((m) => m.type === "session.joined");
  await page.getByRole("tab", { name: `Session with ${customerName}` }).click();
  return { agent, portalId, customer, joined };
}
