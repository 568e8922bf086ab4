/** Text for the terminal: times, durations, wrapped and clipped lines. */

/** `MM-DD HH:MM` in UTC, with seconds when there are any. */
export function shortTime(at: number): string {
  const iso = new Date(at).toISOString();
  const seconds = iso.slice(17, 19);
  return `${iso.slice(5, 10)} ${iso.slice(11, 16)}${seconds === '00' ? '' : `:${seconds}`}`;
}

/** An ISO time without zero milliseconds. */
export function isoTime(at: number): string {
  return new Date(at).toISOString().replace('.000Z', 'Z');
}

/** Words in lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A duration as ISO-8601 (`P1DT2H`), for messages. */
export function offsetText(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  const hours = Math.floor((ms % 86_400_000) / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  if (!days && !time) return 'PT0S';
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}

/** `text` cut to `width` characters, ending in … when cut. */
export function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** A body on one line, at most 160 characters, for a failure message. */
export function oneLine(body: string): string {
  // Each run of white space holding a line break becomes one space. Not /\s*\n\s*/g, which retries
  // a long run of spaces without a line break from each of its positions (quadratic).
  const flat = body.replace(/\s+/g, (run) => (run.includes('\n') ? ' ' : run));
  return flat.length > 160 ? `${flat.slice(0, 160)}…` : flat;
}

// ---- validation ---------------------------------------------------------------------------------
