// A progress bar for many-seed runs on stderr (stdout stays clean for --json): redrawn in place on a terminal,
// a plain line every tenth of the way otherwise.
export class Progress {
  private done = 0;
  private failed = 0;
  private lastDraw = 0;
  private lastTenth = 0;
  private readonly started = performance.now();

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  tick(failed: boolean): void {
    this.done += 1;
    if (failed) this.failed += 1;
    if (this.out.isTTY) {
      const now = performance.now();
      if (now - this.lastDraw < 100 && this.done < this.total) return;
      this.lastDraw = now;
      this.out.write(`\r${this.line()}`);
      if (this.done === this.total) this.out.write("\n");
      return;
    }
    const tenth = Math.floor((this.done * 10) / this.total);
    if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      this.out.write(`${this.line()}\n`);
    }
  }

  private line(): string {
    const width = 30;
    const filled = Math.round((this.done / this.total) * width);
    const elapsed = (performance.now() - this.started) / 1000;
    const eta = this.done > 0 ? (elapsed / this.done) * (this.total - this.done) : 0;
    const bar = `${"#".repeat(filled)}${".".repeat(width - filled)}`;
    return `[${bar}] ${this.done}/${this.total} seeds  ${this.failed} failing  ${elapsed.toFixed(0)} s elapsed  eta ${eta.toFixed(0)} s`;
  }
}
