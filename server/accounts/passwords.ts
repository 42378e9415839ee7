// Password policy (R-A2) and hashing with argon2id (@node-rs/argon2).
import { hash, verify } from "./argon2.ts";

const symbols = "~`!@#$%^&*()_-+={}[]\\|:;'\"<>,.?/";

export interface PolicySubject {
  email: string;
  firstName: string;
  lastName: string;
}

/** What is wrong with a new password under R-A2; an empty list means it is acceptable. */
export function passwordProblems(password: string, who: PolicySubject): string[] {
  const problems: string[] = [];
  if (password.length < 8 || password.length > 32) problems.push("must be 8 to 32 characters");
  const classes = [
    /[A-Z]/.test(password),
    /[a-z]/.test(password),
    /[0-9]/.test(password),
    [...password].some((c) => symbols.includes(c)),
  ].filter(Boolean).length;
  if (classes < 3) problems.push("must mix at least three of: upper case, lower case, digits, symbols");
  const same = (s: string) => s.length > 0 && password.toLowerCase() === s.toLowerCase();
  if (same(who.email)) problems.push("must not be the login ID");
  if (same(who.firstName) || same(who.lastName)) problems.push("must not be your first or last name");
  return problems;
}

/** argon2id (algorithm 2) with the library's defaults: 19 MiB, 2 passes — OWASP's minimum recommendation. */
export const hashPassword = (password: string) => hash(password, { algorithm: 2 as never });

export async function verifyPassword(hashed: string | null, password: string): Promise<boolean> {
  if (!hashed) return false;
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

/** A random password that meets the policy, for first logins created by the CLI (must be changed at once). */
export function randomPassword(random: (n: number) => Buffer): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  const body = [...random(14)].map((b) => alphabet[b % alphabet.length]).join("");
  return `${body}#7a`;
}
