// R-T6: the customer's OS credentials, typed on their machine, kept only there and only encrypted (AES-256-GCM; the
// key lives in this process's memory, the ciphertext in a 0600 file), handed to elevated actions on stdin, revocable,
// and erased (file overwritten and removed, key zeroed) when the session ends. Nothing of them is ever sent.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { open, rm } from "node:fs/promises";
import { join } from "node:path";

export interface Secret {
  user: string;
  /** Zeroed by the vault as soon as `use` returns. */
  password: Buffer;
}

export class CredentialVault {
  private key: Buffer | null = null;
  readonly file: string;

  constructor(stateDir: string, sessionId: string) {
    this.file = join(stateDir, `credentials-${sessionId}.bin`);
  }

  get stored(): boolean {
    return this.key !== null;
  }

  async store(user: string, password: string): Promise<void> {
    await this.erase();
    const key = randomBytes(32);
    const iv = randomBytes(12);
    const plain = Buffer.from(JSON.stringify({ user, password }), "utf8");
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    plain.fill(0);
    const fh = await open(this.file, "w", 0o600);
    try {
      await fh.write(Buffer.concat([iv, cipher.getAuthTag(), body]));
      await fh.sync();
    } finally {
      await fh.close();
    }
    this.key = key;
  }

  /** Decrypts for the length of `fn` only. */
  async use<T>(fn: (secret: Secret) => Promise<T>): Promise<T> {
    if (!this.key) throw new Error("no credentials stored");
    const fh = await open(this.file, "r");
    const blob = await fh.readFile().finally(() => fh.close());
    const decipher = createDecipheriv("aes-256-gcm", this.key, blob.subarray(0, 12));
    decipher.setAuthTag(blob.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]);
    const parsed = JSON.parse(plain.toString("utf8")) as { user: string; password: string };
    plain.fill(0);
    const secret = { user: parsed.user, password: Buffer.from(parsed.password, "utf8") };
    try {
      return await fn(secret);
    } finally {
      secret.password.fill(0);
    }
  }

  /** Revocation and the session's end: the ciphertext is overwritten and removed, the key zeroed. */
  async erase(): Promise<boolean> {
    const had = this.key !== null;
    this.key?.fill(0);
    this.key = null;
    try {
      const fh = await open(this.file, "r+");
      try {
        const { size } = await fh.stat();
        await fh.write(randomBytes(size), 0, size, 0);
        await fh.sync();
      } finally {
        await fh.close();
      }
    } catch {
      // nothing stored
    }
    await rm(this.file, { force: true });
    return had;
  }
}
