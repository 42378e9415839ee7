// A capture source that plays a scripted synthetic desktop scene: what codec tests and benchmarks feed the encoders.
import { createImage, type RgbaImage } from "../../protocol/frame/index.ts";
import { createScene, type SceneName, type SceneOptions, type SceneScript } from "../scenes/index.ts";
import { type CapturedFrame, type CaptureSource, type Monitor, singleMonitor } from "./captureSource.ts";

export interface SyntheticSourceOptions extends Partial<SceneOptions> {
  readonly scene: SceneName;
  /** The frame number of the first grab; later grabs count up from it. */
  readonly firstFrame?: number;
}

export class SyntheticSource implements CaptureSource {
  readonly scene: SceneScript;
  private readonly image: RgbaImage;
  private next: number;
  private seq = 0;
  private closed = false;

  constructor(options: SyntheticSourceOptions) {
    this.scene = createScene(options.scene, options);
    this.image = createImage(this.scene.width, this.scene.height);
    this.next = options.firstFrame ?? 0;
  }

  get width(): number {
    return this.scene.width;
  }

  get height(): number {
    return this.scene.height;
  }

  monitors(): Promise<readonly Monitor[]> {
    return Promise.resolve(singleMonitor(this.width, this.height));
  }

  /** The next frame of the scene. Synchronous underneath; `grabSync` skips the promise for tight loops. */
  grab(): Promise<CapturedFrame> {
    try {
      return Promise.resolve(this.grabSync());
    } catch (err) {
      return Promise.reject(err);
    }
  }

  grabSync(): CapturedFrame {
    if (this.closed) throw new Error("SyntheticSource is closed");
    this.scene.render(this.next++, this.image);
    return { image: this.image, seq: this.seq++, dirty: undefined };
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
