/**
 * A progress line on stderr: rows read, rows per second and percent of the file's bytes. On a terminal it
 * redraws in place a few times a second; otherwise (CI, a pipe) it writes a line every 10 %.
 */
export class ProgressBar {
  private readonly started = Date.now();
  private lastDraw = 0;
  private lastDecile = -1;
  private readonly tty: boolean;

  constructor(
    private readonly totalBytes: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
  ) {
    this.tty = Boolean(out.isTTY);
  }

  update(rows: number, bytes: number): void {
    if (this.quiet) return;
    const now = Date.now();
    const percent = this.totalBytes > 0 ? Math.min(100, (bytes / this.totalBytes) * 100) : 0;
    if (this.tty) {
      if (now - this.lastDraw < 150) return;
      this.lastDraw = now;
      this.out.write(`\r${this.line(rows, percent)}\u001b[K`);
    } else {
      const decile = Math.floor(percent / 10);
      if (decile === this.lastDecile) return;
      this.lastDecile = decile;
      this.out.write(`${this.line(rows, percent)}\n`);
    }
  }

  finish(rows: number): void {
    if (this.quiet || (!this.tty && this.lastDecile === 10)) return;
    this.out.write(`${this.tty ? '\r' : ''}${this.line(rows, 100)}${this.tty ? '\u001b[K' : ''}\n`);
  }

  private line(rows: number, percent: number): string {
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const width = 24;
    const filled = Math.round((percent / 100) * width);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent.toFixed(0).padStart(3)} %  ${rows.toLocaleString('en')} rows  ${Math.round(rows / seconds).toLocaleString('en')} rows/s`;
  }
}
