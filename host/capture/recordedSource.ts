// A capture source that plays back a folder of PNG frames (frame-000000.png, …), as recorded by `recordFrames`.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { RgbaImage } from "../../protocol/frame/index.ts";
import { type CapturedFrame, type CaptureSource, type Monitor, singleMonitor } from "./captureSource.ts";
import { isFrameFile, readPng } from "./pngFiles.ts";

export interface RecordedSourceOptions {
  /** Start again from the first frame after the last; otherwise the last frame repeats (a still screen). */
  readonly loop?: boolean;
}

export class RecordedSource implements CaptureSource {
  readonly frameCount: number;
  private readonly files: string[];
  private readonly first: RgbaImage;
  private current: RgbaImage;
  private index = 0;
  private seq = 0;
  private closed = false;

  constructor(
    readonly folder: string,
    private readonly options: RecordedSourceOptions = {},
  ) {
    this.files = readdirSync(folder).filter(isFrameFile).sort();
    if (this.files.length === 0) throw new Error(`no frame-NNNNNN.png files in ${folder}`);
    this.frameCount = this.files.length;
    this.first = readPng(join(folder, this.files[0]!));
    this.current = this.first;
  }

  get width(): number {
    return this.first.width;
  }

  get height(): number {
    return this.first.height;
  }

  /** True once every frame has been played and `loop` is off. */
  get ended(): boolean {
    return !this.options.loop && this.index >= this.frameCount;
  }

  monitors(): Promise<readonly Monitor[]> {
    return Promise.resolve(singleMonitor(this.width, this.height));
  }

  grab(): Promise<CapturedFrame> {
    if (this.closed) return Promise.reject(new Error("RecordedSource is closed"));
    if (this.index >= this.frameCount && this.options.loop) this.index = 0;
    if (this.index < this.frameCount) {
      const image = this.index === 0 ? this.first : readPng(join(this.folder, this.files[this.index]!));
      if (image.width !== this.width || image.height !== this.height) {
        return Promise.reject(
          new Error(
            `${this.files[this.index]} is ${image.width}×${image.height}, not ${this.width}×${this.height}`,
          ),
        );
      }
      this.current = image;
      this.index++;
      return Promise.resolve({ image, seq: this.seq++, dirty: undefined });
    }
    return Promise.resolve({ image: this.current, seq: this.seq++, dirty: [] });
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
