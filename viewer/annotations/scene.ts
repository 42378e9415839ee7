// The annotation scene: records by id, changed only by diffs; stale diffs (older versions) are ignored, so order of arrival does not matter.
import type { Annotation, AnnotationDiff } from "../../protocol/annotations/index.ts";

export class AnnotationScene {
  private readonly records = new Map<string, Annotation>();
  /** Ids removed, with the version they had, so a late update cannot bring them back. */
  private readonly tombstones = new Map<string, number>();

  apply(diff: AnnotationDiff): boolean {
    let changed = false;
    if (diff.clear && this.records.size > 0) {
      for (const [id, record] of this.records) this.tombstones.set(id, record.version);
      this.records.clear();
      changed = true;
    }
    for (const record of [...diff.added, ...diff.updated]) changed = this.put(record) || changed;
    for (const id of diff.removed) {
      const record = this.records.get(id);
      if (!record) continue;
      this.records.delete(id);
      this.tombstones.set(id, record.version);
      changed = true;
    }
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
    this.records.set(record.id, record);
    return true;
  }
}
