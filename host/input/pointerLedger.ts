// Where the pointer should be as far as remote input knows: the last injected or last observed position, versioned.

export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * Written by the sink on every injected motion and by the local-pointer watch on every poll. The version lets the
 * watch tell whether an injection happened while its query was in flight, in which case its older answer must not
 * overwrite the newer injected position.
 */
export class PointerLedger {
  private point: Point | undefined;
  private count = 0;

  get position(): Point | undefined {
    return this.point;
  }

  get version(): number {
    return this.count;
  }

  injected(point: Point): void {
    this.point = point;
    this.count++;
  }

  /** Records a polled position, unless an injection happened since `version` was read. */
  observed(point: Point, version: number): void {
    if (version === this.count) this.point = point;
  }
}
