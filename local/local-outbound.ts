import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { outboundEntries } from '../shared/adapters/index.js';
import type { OutboundEvents, PendingEffects } from '../shared/domain/index.js';

/** One outbound event as local mode keeps it: what EventBridge would have received. */
export interface LocalOutboundEvent {
  readonly detailType: string;
  readonly time: string;
  readonly detail: Record<string, unknown>;
}

/**
 * The outbound events port in local mode: the same entries as on EventBridge (`outboundEntries`),
 * appended as JSON lines to a file under DATA_DIR and kept, the latest few hundred, in memory for
 * `GET /local/events`.
 */
export class LocalOutbound implements OutboundEvents {
  readonly #file: string;
  readonly #recent: LocalOutboundEvent[] = [];
  readonly #keep: number;

  constructor(options: { file: string; keep?: number }) {
    this.#file = options.file;
    this.#keep = options.keep ?? 500;
  }

  async publish(effects: PendingEffects): Promise<void> {
    const events = outboundEntries(effects, 'local').map(
      (entry): LocalOutboundEvent => ({
        detailType: entry.DetailType ?? '',
        time: (entry.Time ?? new Date(effects.at)).toISOString(),
        detail: JSON.parse(entry.Detail ?? '{}') as Record<string, unknown>,
      }),
    );
    if (events.length === 0) return;
    await mkdir(dirname(this.#file), { recursive: true });
    await appendFile(this.#file, events.map((event) => `${JSON.stringify(event)}\n`).join(''));
    this.#recent.push(...events);
    if (this.#recent.length > this.#keep) this.#recent.splice(0, this.#recent.length - this.#keep);
  }

  /** The latest events, oldest first. */
  recent(): readonly LocalOutboundEvent[] {
    return [...this.#recent];
  }
}
