// Group commit (server/store, R-D2): a turn's writes commit at its end, but at most once per commitGapMs, so that
// under load several turns share one COMMIT; nobody is told before their write is committed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { openDb } from "./db.ts";
import { Store } from "./store.ts";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("R-D2: group commit", () => {
  let dir: string;
  let store: Store;
  let reader: Database.Database;
  const committed = (key: string) =>
    reader.prepare("SELECT COUNT(*) n FROM settings WHERE key = ?").get(key) as { n: number };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tandem-commit-"));
    store = new Store(openDb(dir));
    store.commitGapMs = 1_000;
    reader = new Database(join(dir, "tandem.sqlite"), { readonly: true });
  });
  afterEach(() => {
    reader.close();
    store.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a first write commits at the end of its turn; one in the next turn waits for the gap, and so does its answer", async () => {
    const told: string[] = [];
    store.tx(() => store.putSettings({ first: 1 }));
    store.afterCommit(() => told.push("first"));
    await nextTurn();
    expect(told).toEqual(["first"]);
    expect(committed("first").n).toBe(1);

    const startedAt = performance.now();
    store.tx(() => store.putSettings({ second: 2 }));
    store.afterCommit(() => told.push("second"));
    await nextTurn();
    store.tx(() => store.putSettings({ third: 3 })); // a later turn joins the same transaction
    await nextTurn();
    expect(told).toEqual(["first"]);
    expect(committed("second").n).toBe(0);

    await expect.poll(() => told, { timeout: 5_000, interval: 10 }).toEqual(["first", "second"]);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(900);
    expect(committed("second").n).toBe(1);
    expect(committed("third").n).toBe(1);
  });
});
