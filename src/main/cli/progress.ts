import { formatBytes } from '../../shared/domain/format';

/** A one-line progress bar on a terminal; plain lines every 10% when output is not a terminal. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): {
  update(done: number, total: number, bytesPerSecond: number): void;
  end(): void;
} {
  let lastTenth = -1;
  return {
    update(done, total, bytesPerSecond) {
      const share = total > 0 ? done / total : 0;
      const eta = bytesPerSecond > 0 ? Math.ceil((total - done) / bytesPerSecond) : null;
      const etaText = eta === null ? '' : eta > 90 ? ` ${Math.ceil(eta / 60)} min left` : ` ${eta} s left`;
      const text = `${(share * 100).toFixed(1).padStart(5)}%  ${formatBytes(done)} / ${formatBytes(total)}  ${formatBytes(bytesPerSecond)}/s${etaText}`;
      if (stream.isTTY) {
        const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - text.length - 4));
        const filled = Math.round(share * width);
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\x1b[K`);
      } else if (Math.floor(share * 10) > lastTenth) {
        lastTenth = Math.floor(share * 10);
        stream.write(`${text}\n`);
      }
    },
    end() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
