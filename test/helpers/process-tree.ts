import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** A process as /proc shows it. */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  /** The one-letter state: R, S, D, Z (zombie), ... */
  readonly state: string;
  readonly command: string;
}

/** A socket in the LISTEN state. */
export interface ListeningSocket {
  readonly address: string;
  readonly port: number;
}

/** Every process on this machine, or those /proc still shows (Linux only). */
export function processes(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const command = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push({ pid: Number(name), ppid: Number(ppid), state: state ?? '?', command });
    } catch {
      // It ended while we looked.
    }
  }
  return found;
}

/** The process and all its descendants that are alive (zombies count as gone). */
export function processTree(root: number): ProcessInfo[] {
  const all = processes();
  const tree: ProcessInfo[] = [];
  const wanted = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const process of all) {
      if ((wanted.has(process.pid) || wanted.has(process.ppid)) && !tree.includes(process)) {
        wanted.add(process.pid);
        tree.push(process);
        grew = true;
      }
    }
  }
  return tree.filter((process) => process.state !== 'Z');
}

/** Whether a process is alive (not gone, not a zombie). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The sockets these processes listen on, from their fds and /proc/net/tcp and tcp6. */
export function listeningSockets(pids: readonly number[]): ListeningSocket[] {
  const inodes = new Set<string>();
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match?.[1]) inodes.add(match[1]);
      } catch {
        // Closed while we looked.
      }
    }
  }
  const sockets: ListeningSocket[] = [];
  for (const table of ['tcp', 'tcp6'] as const) {
    for (const line of readFileSync(`/proc/net/${table}`, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [, local, , state, , , , , , inode] = fields;
      if (state !== '0A' || local === undefined || inode === undefined || !inodes.has(inode)) continue;
      const [hex, port] = local.split(':');
      sockets.push({ address: decodeAddress(hex ?? ''), port: Number.parseInt(port ?? '', 16) });
    }
  }
  return sockets;
}

/** Whether an address is loopback: 127.0.0.0/8, ::1, or 127.x mapped into IPv6. */
export function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === '::1' || /^::ffff:127\./.test(address);
}

/** /proc/net's hex address (32-bit words in host order, little-endian here) as text. */
function decodeAddress(hex: string): string {
  const words = (hex.match(/.{8}/g) ?? []).map((word) => Buffer.from(word, 'hex').reverse());
  if (words.length === 1) return [...(words[0] ?? [])].join('.');
  const bytes = Buffer.concat(words);
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes.readUInt16BE(10) === 0xffff)
    return `::ffff:${[...bytes.subarray(12)].join('.')}`;
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}
