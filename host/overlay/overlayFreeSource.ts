// A capture source that sees past the annotation overlay: the agent gets the customer's screen, never the ink the
// overlay draws on it (the viewer draws the same annotations on its own layer; an echo would double them, lag
// behind them, and stay in the picture after a clear until the next grab).
import type { CapturedFrame, CaptureSource, Monitor, PointerCursor } from "../capture/index.ts";
import type { AnnotationOverlay } from "./annotationOverlay.ts";

export class OverlayFreeSource implements CaptureSource {
  constructor(
    private readonly inner: CaptureSource,
    private readonly overlay: Pick<AnnotationOverlay, "restoreBeneath">,
  ) {}

  get width(): number {
    return this.inner.width;
  }

  get height(): number {
    return this.inner.height;
  }

  monitors(): Promise<readonly Monitor[]> {
    return this.inner.monitors();
  }

  /**
   * The grab's start time decides which uncovered pixels still need restoring: a grab that left before the X server
   * took the ink away may still hold it. The restored pixels stay in the source's buffer, and the ink's own drawing
   * damages its tiles, so DAMAGE-driven grabs stay exact without widening `dirty`.
   */
  async grab(): Promise<CapturedFrame> {
    const startedAt = performance.now();
    const frame = await this.inner.grab();
    this.overlay.restoreBeneath(frame.image, startedAt);
    return frame;
  }

  cursor(): Promise<PointerCursor | undefined> {
    return this.inner.cursor?.() ?? Promise.resolve(undefined);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
