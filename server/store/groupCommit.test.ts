// Group commit on the writer thread (server/store, R-D2): a turn's writes are posted at its end, but at most once per
// commitGapMs, so that under load several turns share one COMMIT; nobody is told before their write is committed;
// a read sees every write made before it; a transaction that throws leaves nothing behind.
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
    (reader.prepare("SELECT COUNT(*) n FROM settings WHERE key = ?").get(key) as { n: number }).n;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tandem-commit-"));
    store = new Store(openDb(dir));
    store.commitGapMs = 1_000;
    reader = new Database(join(dir, "tandem.sqlite"), { readonly: true });
  });
  afterEach(async () => {
    reader.close();
    await store.close();
    store.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a first write commits after its turn; one in the next turn waits for the gap, and so does its answer", async () => {
    const told: string[] = [];
    store.tx(() => store.putSettings({ first: 1 }));
    store.afterCommit(() => told.push("first"));
    expect(told).toEqual([]);
    await expect.poll(() => told, { timeout: 5_000, interval: 5 }).toEqual(["first"]);
    expect(committed("first")).toBe(1);

    const startedAt = performance.now();
    store.tx(() => store.putSettings({ second: 2 }));
    store.afterCommit(() => told.push("second"));
    await nextTurn();
    store.tx(() => store.putSettings({ third: 3 })); // a later turn joins the same batch
    await nextTurn();
    expect(told).toEqual(["first"]);
    expect(committed("second")).toBe(0);

    await expect.poll(() => told, { timeout: 5_000, interval: 10 }).toEqual(["first", "second"]);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(900);
    expect(committed("second")).toBe(1);
    expect(committed("third")).toBe(1);
  });

  test("a read sees the writes queued before it, even those still waiting for the gap", () => {
    store.putSettings({ early: 1 });
    store.commit();
    store.putSettings({ late: 2 });
    expect(store.settings()).toEqual({ early: 1, late: 2 });
    expect(committed("late")).toBe(1);
  });

  test("answers keep their order: one with no write of its own waits behind the batch before it", async () => {
    const told: string[] = [];
    store.putSettings({ a: 1 });
    store.afterCommit(() => told.push("with a write"));
    store.afterCommit(() => told.push("without"));
    await expect.poll(() => told, { timeout: 5_000, interval: 5 }).toEqual(["with a write", "without"]);
  });

  test("a transaction that throws leaves none of its writes; a read inside it does not post them", () => {
    expect(() =>
      store.tx(() => {
        store.putSettings({ doomed: 1 });
        store.tx(() => store.putSettings({ inner: 1 }));
        expect(store.settings()).toEqual({});
        throw new Error("halfway");
      }),
    ).toThrow("halfway");
    store.putSettings({ kept: 1 });
    store.commit();
    expect(committed("doomed")).toBe(0);
    expect(committed("inner")).toBe(0);
    expect(committed("kept")).toBe(1);
  });

  test("a failed statement is logged and the rest of its batch is committed", () => {
    store.put("INSERT INTO no_such_table VALUES (1)");
    store.putSettings({ after: 1 });
    store.commit();
    expect(committed("after")).toBe(1);
  });
});
