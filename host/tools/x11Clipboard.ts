// The customer's real X11 clipboard (the CLIPBOARD selection), read and owned through xclip: xclip speaks the ICCCM
// selection protocol with INCR transfers for big images, and stays behind as the selection owner after we exit.
import { spawn } from "node:child_process";

export interface ClipboardContent {
  mime: "text/plain;charset=utf-8" | "image/png";
  data: Buffer;
}

export interface Clipboard {
  read(): Promise<ClipboardContent | null>;
  write(content: ClipboardContent): Promise<void>;
}

function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  input?: Buffer,
): Promise<{ code: number; out: Buffer; err: string }> {
  return new Promise((resolve, reject) => {
    // With -i, xclip forks a child that owns the selection; it must not hold our pipes, or we would wait for it.
    const child = spawn("xclip", args, {
      env,
      stdio: [input ? "pipe" : "ignore", input ? "ignore" : "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    let err = "";
    child.stdout?.on("data", (b: Buffer) => out.push(b));
    child.stderr?.on("data", (b: Buffer) => {
      err += String(b);
    });
    child.on("error", (e) =>
      reject(
        (e as NodeJS.ErrnoException).code === "ENOENT"
          ? new Error("xclip is not installed (apt-get install xclip)")
          : e,
      ),
    );
    child.on("exit", (code) => resolve({ code: code ?? 1, out: Buffer.concat(out), err }));
    if (input) child.stdin!.end(input);
  });
}

/** The X11 CLIPBOARD of `display` (default: $DISPLAY). */
export class X11Clipboard implements Clipboard {
  private readonly env: NodeJS.ProcessEnv;

  constructor(display = process.env.DISPLAY) {
    if (!display) throw new Error("no X display (DISPLAY is not set)");
    this.env = { ...process.env, DISPLAY: display };
  }

  async read(): Promise<ClipboardContent | null> {
    const targets = await run(["-selection", "clipboard", "-o", "-t", "TARGETS"], this.env);
    if (targets.code !== 0) return null; // nobody owns the clipboard
    const list = String(targets.out).split(/\s+/);
    if (list.includes("image/png")) {
      const r = await run(["-selection", "clipboard", "-o", "-t", "image/png"], this.env);
      if (r.code === 0) return { mime: "image/png", data: r.out };
    }
    const text = list.includes("UTF8_STRING") ? "UTF8_STRING" : list.includes("STRING") ? "STRING" : null;
    if (!text) return null;
    const r = await run(["-selection", "clipboard", "-o", "-t", text], this.env);
    return r.code === 0 ? { mime: "text/plain;charset=utf-8", data: r.out } : null;
  }

  async write(content: ClipboardContent): Promise<void> {
    const target = content.mime === "image/png" ? "image/png" : "UTF8_STRING";
    const r = await run(["-selection", "clipboard", "-t", target, "-i"], this.env, content.data);
    if (r.code !== 0) throw new Error(`xclip could not take the clipboard: ${r.err.trim()}`);
  }
}

/** An in-memory clipboard, for hosts without X (and tests of the policy). */
export class MemoryClipboard implements Clipboard {
  content: ClipboardContent | null = null;
  async read() {
    return this.content;
  }
  async write(content: ClipboardContent) {
    this.content = content;
  }
}
