/**
 * Progress lines for long work: a live line on a terminal, periodic lines otherwise (CI
 * logs), so both people and log readers see that work advances.
 */
export interface ProgressLine {
  update(text: string): void;
  done(text: string): void;
}

export function progressLine(stream: NodeJS.WriteStream = process.stderr, intervalMs = 2_000): ProgressLine {
  let last = 0;
  return {
    update(text) {
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${text}`);
        return;
      }
      const now = Date.now();
      if (now - last >= intervalMs) {
        last = now;
        stream.write(`${text}\n`);
      }
    },
    done(text) {
      stream.write(stream.isTTY ? `\r\x1b[2K${text}\n` : `${text}\n`);
    },
  };
}

export const bar = (done: number, total: number, width = 24): string => {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
};
