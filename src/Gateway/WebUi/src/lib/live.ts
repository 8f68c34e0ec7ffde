import { HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";
import type { ItemPage, ItemView, JoinResponse, VoteUpdate } from "./types";

export type ConnectionState = "online" | "reconnecting" | "offline";

/** Items by id, newest version only; the highest seq seen is where a reconnect resumes. */
export class ItemStore {
  readonly items = new Map<string, ItemView>();
  lastSeq = 0;

  /** Returns the items that changed (older or equal versions are ignored). */
  apply(items: ItemView[]): ItemView[] {
    const changed: ItemView[] = [];
    for (const item of items) {
      const known = this.items.get(item.id);
      if (!known || item.seq > known.seq || (item.seq === known.seq && richer(item, known))) {
        this.items.set(item.id, item);
        changed.push(item);
      }
      this.lastSeq = Math.max(this.lastSeq, item.seq);
    }
    return changed;
  }

  /** Vote-only changes arrive compact (third argument of "changes"): new counts for items the page already holds. */
  applyVotes(updates: VoteUpdate[]): ItemView[] {
    const changed: ItemView[] = [];
    for (const [id, seq, up, agree, disagree, pass] of updates) {
      const known = this.items.get(id);
      if (known && seq > known.seq) {
        const item = { ...known, seq, votes: { up, agree, disagree, pass } };
        this.items.set(item.id, item);
        changed.push(item);
      }
      this.lastSeq = Math.max(this.lastSeq, seq);
    }
    return changed;
  }
}

/** A delay between half and all of base: the random half spreads reconnecting clients out. */
export function jittered(base: number): number {
  return base / 2 + Math.random() * (base / 2);
}

/** Two views of one change can share a seq (the public stub and the author's own view): keep the one with text. */
function richer(candidate: ItemView, known: ItemView): boolean {
  return candidate.text.length > 0 && known.text.length === 0;
}

/**
 * One SignalR connection that never gives up: automatic reconnects with backoff, then a fresh
 * start loop. After every (re)connect, onConnected runs so the page can join again with the
 * highest seq it saw and receive exactly the gap.
 */
export class Live {
  readonly connection: HubConnection;
  private readonly connectedHandlers: Array<() => Promise<void>> = [];
  private readonly stateHandlers: Array<(state: ConnectionState) => void> = [];
  private stopped = false;
  /** Set by a stopping gateway's reconnect(hint): the first reconnect waits this long instead of the backoff. */
  private handoverDelay: number | null = null;

  constructor(accessToken: () => Promise<string> | string) {
    this.connection = new HubConnectionBuilder()
      .withUrl("/hubs/dialogue", { accessTokenFactory: accessToken })
      // MessagePack frames carry what the JSON ones do, in the same shape (keys, omissions, ISO dates),
      // at 55–65 % of the bytes (town hall bench): a phone in a busy hall receives several frames a second.
      // Undefined fields are left out, as JSON.stringify leaves them out.
      .withHubProtocol(new MessagePackHubProtocol({ ignoreUndefined: true }))
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => this.retryDelay(ctx.previousRetryCount) })
      .configureLogging(LogLevel.Warning)
      .build();
    this.connection.on("reconnect", (hint: { delayMs: number }) => {
      this.handoverDelay = Math.max(0, Math.min(60_000, Number(hint?.delayMs) || 0));
    });
    this.connection.onreconnecting(() => this.setState("reconnecting"));
    this.connection.onreconnected(() => void this.connected());
    this.connection.onclose(() => {
      this.setState("offline");
      if (!this.stopped) setTimeout(() => void this.start(), jittered(3000));
    });
    addEventListener("online", () => {
      if (this.connection.state === HubConnectionState.Disconnected) void this.start();
    });
  }

  onConnected(handler: () => Promise<void>): void {
    this.connectedHandlers.push(handler);
  }

  onState(handler: (state: ConnectionState) => void): void {
    this.stateHandlers.push(handler);
  }

  get isOnline(): boolean {
    return this.connection.state === HubConnectionState.Connected;
  }

  async start(): Promise<void> {
    if (this.connection.state !== HubConnectionState.Disconnected) return;
    try {
      await this.connection.start();
      await this.connected();
    } catch {
      this.setState("offline");
      if (!this.stopped) setTimeout(() => void this.start(), jittered(3000));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.connection.stop();
  }

  /** Join a consultation from afterSeq and page through the gap. */
  async join(consultationId: string, store: ItemStore): Promise<JoinResponse> {
    const response = await this.connection.invoke<JoinResponse>("Join", consultationId, store.lastSeq);
    const changed = store.apply(response.items);
    let hasMore = response.hasMore;
    while (hasMore) {
      const page = await this.connection.invoke<ItemPage>("Items", consultationId, store.lastSeq);
      changed.push(...store.apply(page.items));
      hasMore = page.hasMore && page.items.length > 0;
    }
    return { ...response, items: changed };
  }

  /**
   * Exponential backoff with jitter (half fixed, half random), so a hall that lost its gateway does not
   * come back in lockstep; a stopping gateway's hint replaces the first delay.
   */
  private retryDelay(previousRetryCount: number): number {
    if (previousRetryCount === 0 && this.handoverDelay !== null) {
      const delay = this.handoverDelay;
      this.handoverDelay = null;
      return delay;
    }
    return jittered(Math.min(1000 * 2 ** previousRetryCount, 10_000));
  }

  private async connected(): Promise<void> {
    this.setState("online");
    for (const handler of this.connectedHandlers) {
      try {
        await handler();
      } catch (error) {
        console.warn("rejoin failed", error);
      }
    }
  }

  private setState(state: ConnectionState): void {
    this.stateHandlers.forEach((handler) => handler(state));
  }
}
