// The annotation scene: records by id, changed only by diffs; stale diffs (older versions) are ignored, so order of arrival does not matter.
import type { Annotation, AnnotationDiff } from "../../protocol/annotations/index.ts";

/**
 * Bounds for a scene kept on behalf of others (the server's copy for viewers that join later): past them the records
 * changed longest ago are forgotten first, and the oldest tombstones.
 */
export interface SceneLimits {
  readonly recordsMax: number;
  /** Coordinates (x and y each count) over all records. */
  readonly pointsMax: number;
  readonly tombstonesMax: number;
}

export class AnnotationScene {
  /** In the order they last changed (an update moves a record to the end). */
  private readonly records = new Map<string, Annotation>();
  /** Ids removed, with the version they had, so a late update cannot bring them back. */
  private readonly tombstones = new Map<string, number>();
  private points = 0;

  constructor(private readonly limits?: SceneLimits) {}

  apply(diff: AnnotationDiff): boolean {
    let changed = false;
    if (diff.clear && this.records.size > 0) {
      for (const [id, record] of this.records) this.tombstones.set(id, record.version);
      this.records.clear();
      this.points = 0;
      changed = true;
    }
    for (const record of [...diff.added, ...diff.updated]) changed = this.put(record) || changed;
    for (const id of diff.removed) {
      const record = this.records.get(id);
      if (!record) continue;
      this.drop(record);
      changed = true;
    }
    if (this.limits) this.bound(this.limits);
    return changed;
  }

  get(id: string): Annotation | undefined {
    return this.records.get(id);
  }

  all(): Annotation[] {
    return [...this.records.values()];
  }

  size(): number {
    return this.records.size;
  }

  private put(record: Annotation): boolean {
    const current = this.records.get(record.id);
    const buried = this.tombstones.get(record.id);
    if (
      (current && current.version >= record.version) ||
      (buried !== undefined && buried >= record.version)
    ) {
      return false;
    }
    if (current) {
      this.records.delete(record.id);
      this.points -= current.points.length;
    }
    this.records.set(record.id, record);
    this.points += record.points.length;
    return true;
  }

  private drop(record: Annotation): void {
    this.records.delete(record.id);
    this.points -= record.points.length;
    this.tombstones.set(record.id, record.version);
  }

  private bound({ recordsMax, pointsMax, tombstonesMax }: SceneLimits): void {
    for (const record of this.records.values()) {
      if (this.records.size <= recordsMax && this.points <= pointsMax) break;
      this.drop(record);
    }
    for (const id of this.tombstones.keys()) {
      if (this.tombstones.size <= tombstonesMax) break;
      this.tombstones.delete(id);
    }
  }
}
