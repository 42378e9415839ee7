// What the host asks the customer, on their own machine, before any tool acts (default deny). The terminal and GUI
// front ends implement it; `JsonLinesPrompt` speaks one JSON line per question on stdin/stdout for a wrapper (and tests).
import { createInterface } from "node:readline";
import type { ControlLevel } from "../../protocol/screen/index.ts";
import { displayName, type ToolName, toolNames } from "../../protocol/tools/index.ts";
import type { DiagnosticsReport } from "./diagnostics.ts";
import type { Collision, Decision, Offer } from "./fileTransfers.ts";

export interface TypedCredentials {
  user: string;
  password: string;
}

/** Why the host asks to share the screen (R-S8): the first time, after the customer stopped, or a level change. */
export type ScreenQuestion = {
  reason: "start" | "restart" | "level";
  suggested: ControlLevel;
  /** The agent shows their own screen to the customer (R-S8): the agent is asked, about the customer. */
  presenting?: boolean;
};

export interface CustomerPrompt {
  /** R-S8: share the screen, view only or with control; null for no. */
  screen(question: ScreenQuestion): Promise<ControlLevel | null>;
  /** An agent asks for a standing grant (files, clipboard). */
  grant(tool: ToolName, by: string): Promise<boolean>;
  /** Files offered to the customer: tick and pick a destination, or decline. */
  files(offer: Offer): Promise<Decision>;
  collision(path: string): Promise<Collision>;
  /** A clipboard from the agent when the preference is "ask". */
  clipboard(offer: Offer): Promise<boolean>;
  /** R-T3: OK / Cancel before anything is gathered. */
  diagnosticsConsent(by: string): Promise<boolean>;
  /** R-T3: the customer has seen the data: Send, Copy (to their own clipboard) or Close (nothing sent). */
  diagnosticsChoice(report: DiagnosticsReport, text: string): Promise<"send" | "copy" | "close">;
  /** R-T5: allow the restart? */
  restart(by: string, safeMode: boolean): Promise<boolean>;
  /** R-T4: allow running as service; a customer without administrator rights types an administrator's credentials. */
  elevate(by: string, needsAdmin: boolean): Promise<{ allow: boolean; admin?: TypedCredentials }>;
  /** R-T6: the customer types their OS user name and password, or refuses (null). */
  credentials(by: string): Promise<TypedCredentials | null>;
  /** Progress, completion and other notices for the customer. */
  notice(text: string): void;
}

type Question = { id: number; ask: string } & Record<string, unknown>;

/**
 * Each question is one line `{"id":1,"ask":"grant","tool":"files","by":"Ann"}` on stdout; the answer is one line
 * `{"id":1,"answer":…}` on stdin. Notices are `{"notice":"…"}`. Anything unanswered is a refusal when stdin closes.
 */
export class JsonLinesPrompt implements CustomerPrompt {
  private next = 1;
  private closed = false;
  private readonly waiting = new Map<number, (answer: unknown) => void>();
  /** The customer withdraws a grant on their own (`{"revoke": "credentials"}`), whenever they like (R-T6). */
  onRevoke: (tool: ToolName) => void = () => {};

  constructor(
    input: NodeJS.ReadableStream = process.stdin,
    private readonly output: NodeJS.WritableStream = process.stdout,
  ) {
    const rl = createInterface({ input });
    rl.on("line", (line) => {
      try {
        const m = JSON.parse(line) as { id: number; answer: unknown; revoke?: unknown };
        if (typeof m.revoke === "string" && (toolNames as readonly string[]).includes(m.revoke))
          return this.onRevoke(m.revoke as ToolName);
        this.waiting.get(m.id)?.(m.answer);
        this.waiting.delete(m.id);
      } catch {
        // not an answer
      }
    });
    rl.on("close", () => {
      this.closed = true;
      for (const resolve of this.waiting.values()) resolve(null);
      this.waiting.clear();
    });
  }

  private ask<T>(ask: string, fields: Record<string, unknown>): Promise<T> {
    const q: Question = { id: this.next++, ask, ...fields };
    // Nobody left to answer: a refusal, at once.
    if (this.closed) return Promise.resolve(null as T);
    return new Promise((resolve) => {
      this.waiting.set(q.id, resolve as (a: unknown) => void);
      this.output.write(`${JSON.stringify(q)}\n`);
    });
  }

  async screen(question: ScreenQuestion) {
    const a = await this.ask<unknown>("screen", question);
    return a === "view" || a === "control" ? a : null;
  }
  async grant(tool: ToolName, by: string) {
    return (await this.ask<boolean | null>("grant", { tool, by })) === true;
  }
  async files(offer: Offer): Promise<Decision> {
    const a = await this.ask<Decision | null>("files", { offer });
    return a ?? { decline: "no answer" };
  }
  async collision(path: string): Promise<Collision> {
    return (await this.ask<Collision | null>("collision", { path })) ?? "skip";
  }
  async clipboard(offer: Offer) {
    return (
      (await this.ask<boolean | null>("clipboard", { size: offer.files[0]?.size, by: offer.by })) === true
    );
  }
  async diagnosticsConsent(by: string) {
    return (await this.ask<boolean | null>("diagnosticsConsent", { by })) === true;
  }
  async diagnosticsChoice(_report: DiagnosticsReport, text: string) {
    return (await this.ask<"send" | "copy" | "close" | null>("diagnosticsChoice", { text })) ?? "close";
  }
  async restart(by: string, safeMode: boolean) {
    return (await this.ask<boolean | null>("restart", { by, safeMode })) === true;
  }
  async elevate(by: string, needsAdmin: boolean) {
    return (
      (await this.ask<{ allow: boolean; admin?: TypedCredentials } | null>("elevate", {
        by,
        needsAdmin,
      })) ?? { allow: false }
    );
  }
  async credentials(by: string) {
    return await this.ask<TypedCredentials | null>("credentials", { by });
  }
  notice(text: string) {
    this.output.write(`${JSON.stringify({ notice: text })}\n`);
  }
}

/** Answers given in advance, for tests of the host in one process. Unlisted questions are refused. */
export class ScriptedPrompt implements CustomerPrompt {
  readonly notices: string[] = [];
  readonly asked: string[] = [];
  constructor(public answers: Partial<{ [K in keyof CustomerPrompt]: CustomerPrompt[K] }> = {}) {}
  private take<K extends keyof CustomerPrompt>(k: K): CustomerPrompt[K] | undefined {
    this.asked.push(k);
    return this.answers[k] as CustomerPrompt[K] | undefined;
  }
  screen(question: ScreenQuestion) {
    return this.take("screen")?.(question) ?? Promise.resolve(null);
  }
  grant(tool: ToolName, by: string) {
    return this.take("grant")?.(tool, by) ?? Promise.resolve(false);
  }
  files(offer: Offer) {
    return this.take("files")?.(offer) ?? Promise.resolve({ decline: "refused" } as Decision);
  }
  collision(path: string) {
    return this.take("collision")?.(path) ?? Promise.resolve("skip" as Collision);
  }
  clipboard(offer: Offer) {
    return this.take("clipboard")?.(offer) ?? Promise.resolve(false);
  }
  diagnosticsConsent(by: string) {
    return this.take("diagnosticsConsent")?.(by) ?? Promise.resolve(false);
  }
  diagnosticsChoice(report: DiagnosticsReport, text: string) {
    return this.take("diagnosticsChoice")?.(report, text) ?? Promise.resolve("close" as const);
  }
  restart(by: string, safeMode: boolean) {
    return this.take("restart")?.(by, safeMode) ?? Promise.resolve(false);
  }
  elevate(by: string, needsAdmin: boolean) {
    return this.take("elevate")?.(by, needsAdmin) ?? Promise.resolve({ allow: false });
  }
  credentials(by: string) {
    return this.take("credentials")?.(by) ?? Promise.resolve(null);
  }
  notice(text: string) {
    this.notices.push(text);
  }
}

/**
 * Questions in the customer's terminal, one at a time (the host's own window). Default deny: an empty or unclear
 * answer is a refusal; without a terminal every question is refused.
 */
export class TerminalPrompt implements CustomerPrompt {
  private chain: Promise<unknown> = Promise.resolve();
  private open = 0;
  constructor(private readonly downloads: string) {}

  /** A question is on screen: the host's single-key commands (s to stop, p for the pen…) wait until it is answered. */
  get asking(): boolean {
    return this.open > 0;
  }

  private question(text: string): Promise<string> {
    this.open++;
    const asked = this.chain.then(
      () =>
        new Promise<string>((resolve) => {
          if (!process.stdin.isTTY) return resolve("");
          // readline takes the terminal for the line and gives it back cooked and paused: keys mode comes back after.
          const raw = process.stdin.isRaw;
          const rl = createInterface({ input: process.stdin, output: process.stdout });
          rl.question(`${text}\n> `, (a) => {
            rl.close();
            if (raw) {
              process.stdin.setRawMode(true);
              process.stdin.resume();
            }
            resolve(a.trim());
          });
        }),
    );
    this.chain = asked;
    return asked.finally(() => {
      this.open--;
    });
  }
  async screen({ reason, suggested, presenting }: ScreenQuestion) {
    const what =
      reason === "level"
        ? `switch to ${suggested === "control" ? "shared control" : "view only"}`
        : "see your screen";
    const a = (
      await this.question(
        presenting
          ? `Show your screen to the customer${reason === "level" ? ` (${suggested === "control" ? "shared control" : "view only"})` : ""}?\n  [v] view only   [c] the customer may control your mouse and keyboard   [n] no`
          : `Your support agent asks to ${what}.\n  [v] view only   [c] view and control mouse and keyboard   [n] no`,
      )
    ).toLowerCase();
    return a.startsWith("c") ? ("control" as const) : a.startsWith("v") ? ("view" as const) : null;
  }
  private async yes(text: string) {
    return /^y(es)?$/i.test(await this.question(`${text} [y/N]`));
  }

  grant(tool: ToolName, by: string) {
    return this.yes(`${by} asks to use ${tool}. Allow?`);
  }
  async files(offer: Offer): Promise<Decision> {
    const list = offer.files.map((f, i) => `  ${i + 1}. ${displayName(f.path)} (${f.size} bytes)`).join("\n");
    const a = await this.question(
      `${offer.by} sends ${offer.files.length} file(s):\n${list}\nNumbers to accept (e.g. 1,3), "all", or empty to decline:`,
    );
    if (!a) return { decline: "declined by the customer" };
    const accept =
      a === "all"
        ? offer.files.map((_, i) => i)
        : a
            .split(/[ ,]+/)
            .map((n) => Number(n) - 1)
            .filter((i) => offer.files[i]);
    const dest = (await this.question(`Save into which folder? [${this.downloads}]`)) || this.downloads;
    return accept.length ? { accept, destination: dest } : { decline: "nothing ticked" };
  }
  async collision(path: string): Promise<Collision> {
    const a = await this.question(`${path} exists: [k]eep both, [o]verwrite, [s]kip?`);
    return a.startsWith("o") ? "overwrite" : a.startsWith("k") ? "rename" : "skip";
  }
  clipboard(offer: Offer) {
    return this.yes(`${offer.by} sends a clipboard (${offer.files[0]?.size ?? 0} bytes). Copy it to yours?`);
  }
  diagnosticsConsent(by: string) {
    return this.yes(
      `${by} asks for diagnostics of this computer. You will see them before anything is sent. OK?`,
    );
  }
  async diagnosticsChoice(_report: DiagnosticsReport, text: string) {
    const a = await this.question(
      `${text}\n\n[s]end to the agent, [c]opy to your clipboard, or close (nothing sent)?`,
    );
    return a.startsWith("s") ? ("send" as const) : a.startsWith("c") ? ("copy" as const) : ("close" as const);
  }
  restart(by: string, safeMode: boolean) {
    return this.yes(
      `${by} asks to restart this computer${safeMode ? " in safe mode" : ""} and reconnect. Allow?`,
    );
  }
  async elevate(by: string, needsAdmin: boolean) {
    const allow = await this.yes(`${by} asks to run support with administrator rights. Allow?`);
    if (!allow || !needsAdmin) return { allow };
    const user = await this.question("Administrator user name (empty: ask the system instead):");
    if (!user) return { allow };
    return { allow, admin: { user, password: await this.question("Password (stays on this computer):") } };
  }
  async credentials(by: string) {
    if (
      !(await this.yes(
        `${by} asks for your user name and password, kept encrypted on this computer only. Enter them?`,
      ))
    )
      return null;
    const user = await this.question("User name:");
    const password = await this.question("Password (stays on this computer):");
    return user && password ? { user, password } : null;
  }
  notice(text: string) {
    console.log(text);
  }
}
