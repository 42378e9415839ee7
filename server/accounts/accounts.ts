// Agent and administrator accounts: login (R-A1) with throttling, password change and expiry (R-A3),
// forgot-password links (R-A4), logout and disabling. Failures are deliberately generic.
import { randomBytes } from "node:crypto";
import type { Mailer } from "../mail/mailer.ts";
import type { Account, Store } from "../store/store.ts";
import { hashPassword, passwordProblems, verifyPassword } from "./passwords.ts";
import { Throttle } from "./throttle.ts";

export interface AccountOptions {
  sessionTokenTtlMs: number;
  resetTokenTtlMs: number;
  /** Failed logins per login ID, then per address, within `loginThrottleWindowMs`. */
  loginFailuresPerAccountMax: number;
  loginFailuresPerAddressMax: number;
  loginThrottleWindowMs: number;
  publicUrl: string;
}

export type LoginResult =
  | { ok: true; token: string; account: Account }
  | { ok: false; reason: "invalid" | "throttled" | "passwordExpired" };

/** The one message a failed login shows, whatever failed: unknown ID, wrong password, disabled account. */
export const genericLoginFailure = "Login ID or password is incorrect.";

export const newToken = () => randomBytes(32).toString("base64url");

export class Accounts {
  private readonly perAccount: Throttle;
  private readonly perAddress: Throttle;
  /** Called when an account's sessions end (logout, disable, password reset): the gateway closes its sockets. */
  onRevoked: (accountId: string) => void = () => {};

  constructor(
    private readonly store: Store,
    private readonly mail: Mailer,
    private readonly options: AccountOptions,
    private readonly now: () => number,
    private readonly passwordExpiryMs: () => number | null,
  ) {
    this.perAccount = new Throttle(options.loginFailuresPerAccountMax, options.loginThrottleWindowMs);
    this.perAddress = new Throttle(options.loginFailuresPerAddressMax, options.loginThrottleWindowMs);
  }

  private expired(a: Account): boolean {
    const ttl = this.passwordExpiryMs();
    return (
      a.mustChange || (ttl !== null && a.passwordChangedAt !== null && this.now() - a.passwordChangedAt > ttl)
    );
  }

  /** Checks credentials under both throttles; counts every failure, clears the account's count on success. */
  private async check(
    email: string,
    password: string,
    address: string,
  ): Promise<Account | "throttled" | null> {
    const now = this.now();
    const key = email.trim().toLowerCase();
    if (this.perAccount.blocked(key, now) || this.perAddress.blocked(address, now)) return "throttled";
    const account = this.store.accountByEmail(key);
    const ok =
      (await verifyPassword(account?.passwordHash ?? null, password)) && account && !account.disabled;
    if (!ok) {
      this.perAccount.fail(key, now);
      this.perAddress.fail(address, now);
      return null;
    }
    this.perAccount.clear(key);
    return account;
  }

  async login(email: string, password: string, address: string): Promise<LoginResult> {
    const account = await this.check(email, password, address);
    if (account === "throttled") return { ok: false, reason: "throttled" };
    if (!account) return { ok: false, reason: "invalid" };
    if (this.expired(account)) return { ok: false, reason: "passwordExpired" };
    const token = newToken();
    this.store.addToken(token, account.id, "session", this.now(), this.options.sessionTokenTtlMs);
    return { ok: true, token, account };
  }

  /** The live account behind a session token. */
  authenticate(token: string | undefined): Account | undefined {
    if (!token) return undefined;
    const account = this.store.tokenAccount(token, "session", this.now());
    return account && !account.disabled ? account : undefined;
  }

  logout(accountId: string): void {
    this.store.revokeTokens(accountId, "session", this.now());
    this.onRevoked(accountId);
  }

  /** R-A3: login ID, current password, new and repeat. Also the way out of an expired password. */
  async changePassword(
    input: { email: string; current: string; next: string; repeat: string },
    address: string,
  ): Promise<
    { ok: true } | { ok: false; reason: "invalid" | "throttled" | "mismatch" | "policy"; problems?: string[] }
  > {
    const account = await this.check(input.email, input.current, address);
    if (account === "throttled") return { ok: false, reason: "throttled" };
    if (!account) return { ok: false, reason: "invalid" };
    return this.setNewPassword(account, input.next, input.repeat, input.current);
  }

  private async setNewPassword(account: Account, next: string, repeat: string, current?: string) {
    if (next !== repeat) return { ok: false as const, reason: "mismatch" as const };
    const problems = passwordProblems(next, account);
    if (current !== undefined && next === current) problems.push("must differ from the current password");
    if (problems.length > 0) return { ok: false as const, reason: "policy" as const, problems };
    this.store.setPassword(account.id, await hashPassword(next), this.now());
    return { ok: true as const };
  }

  /** R-A4: the login ID twice; a single-use link is mailed if the address is known and validated. Same answer either way. */
  async forgot(email: string, repeat: string): Promise<{ ok: boolean }> {
    if (email.trim().toLowerCase() !== repeat.trim().toLowerCase()) return { ok: false };
    const account = this.store.accountByEmail(email);
    if (!account || account.disabled || !account.emailValidated) return { ok: true };
    const token = newToken();
    this.store.revokeTokens(account.id, "reset", this.now());
    this.store.addToken(token, account.id, "reset", this.now(), this.options.resetTokenTtlMs);
    const link = `${this.options.publicUrl.replace(/\/$/, "")}/reset?token=${token}`;
    const minutes = Math.round(this.options.resetTokenTtlMs / 60_000);
    await this.mail({
      to: account.email,
      subject: "Tandem: set a new password",
      text: `Someone asked to reset the Tandem password of ${account.email}.\n\nSet a new password here (valid ${minutes} minutes, once):\n${link}\n\nIf it was not you, ignore this mail.`,
    });
    return { ok: true };
  }

  async reset(token: string, next: string, repeat: string) {
    const account = this.store.tokenAccount(token, "reset", this.now());
    if (!account || account.disabled) return { ok: false as const, reason: "invalid" as const };
    const result = await this.setNewPassword(account, next, repeat);
    if (!result.ok) return result;
    if (!this.store.consumeToken(token, this.now()))
      return { ok: false as const, reason: "invalid" as const };
    // A reset ends every open session of the account: whoever knew the old password is out.
    this.logout(account.id);
    return result;
  }
}
