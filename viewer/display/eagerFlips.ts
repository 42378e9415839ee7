// A FrameScheduler that flips a finished frame at once instead of at the next animation frame, at most once per
// animation frame: a decoded frame no longer waits up to a display refresh to reach the canvas, and frames that
// arrive faster than the display still coalesce into one flip per refresh.
import type { FrameScheduler } from "./Display.ts";

export class EagerFlips {
  /** The Display's flip, while it has damage not yet presented. */
  private flip: (() => void) | undefined;
  /** True from a flip until the next animation frame begins. */
  private flippedThisFrame = false;
  private frameRequested = false;

  /** `requestFrame`: `requestAnimationFrame` in a browser. */
  constructor(private readonly requestFrame: (callback: () => void) => void) {}

  /**
   * The Display's scheduler. Damage alone never flips at once (a frame is drawn record by record, and a key frame
   * starts by clearing the picture): it waits for `frameDrawn`, or for the next animation frame as before.
   */
  readonly schedule: FrameScheduler = (flip) => {
    this.flip = flip;
    this.request();
  };

  /** A whole frame is in the back buffer: flip it now, unless this animation frame has already had its flip. */
  frameDrawn(): void {
    if (this.flip !== undefined && !this.flippedThisFrame) this.run();
  }

  private run(): void {
    const flip = this.flip!;
    this.flip = undefined;
    this.flippedThisFrame = true;
    flip();
    // The next animation frame ends this one's turn.
    this.request();
  }

  private request(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    this.requestFrame(() => this.onFrame());
  }

  private onFrame(): void {
    this.frameRequested = false;
    this.flippedThisFrame = false;
    if (this.flip !== undefined) this.run();
  }
}
