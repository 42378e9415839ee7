// The trace hash: sha256 over every stamped domain event in order, so the same seed on the same commit gives the same hash.
import { createHash, type Hash } from "node:crypto";
import type { RecordedEvent } from "../actors/index.ts";

export class Trace {
  private readonly hash: Hash = createHash("sha256");
  events = 0;

  add(e: RecordedEvent): void {
    this.hash.update(JSON.stringify(e));
    this.hash.update("\n");
    this.events += 1;
  }

  digest(): string {
    return this.hash.digest("hex");
  }
}
