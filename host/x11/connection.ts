// One open X display connection with promise-returning helpers, shared by screen capture and remote input.
import x11, {
  type Callback,
  type DamageExtension,
  type FixesExtension,
  type RandrExtension,
  type ShapeExtension,
  type ShmExtension,
  type ShmProvider,
  type XClient,
  type XDisplay,
  type XError,
  type XineramaExtension,
  type XTestExtension,
} from "x11";

export interface Extensions {
  shm: ShmExtension;
  damage: DamageExtension;
  randr: RandrExtension;
  xinerama: XineramaExtension;
  xtest: XTestExtension;
  shape: ShapeExtension;
  fixes: FixesExtension;
}

export interface OpenDisplayOptions {
  /** Display name such as ":1"; defaults to `$DISPLAY`. */
  readonly display?: string;
  /**
   * Whether the connection may pass a MIT-SHM segment to the server (local displays only); a provider also says
   * where the client's copy of a segment lives (`host/capture/shmProvider.ts`).
   */
  readonly shm?: boolean | ShmProvider;
  /** Where X errors that no request claimed go; the default writes them to stderr. */
  readonly onError?: (error: XError) => void;
}

export class DisplayConnection {
  readonly root: number;
  private readonly extensions = new Map<keyof Extensions, Promise<unknown>>();
  private closed = false;

  private constructor(
    readonly name: string,
    readonly display: XDisplay,
  ) {
    this.root = display.screen[0]!.root;
  }

  static open(options: OpenDisplayOptions = {}): Promise<DisplayConnection> {
    const name = options.display ?? process.env.DISPLAY;
    if (name === undefined || name === "") {
      return Promise.reject(new Error("no X display: pass `display` or set $DISPLAY"));
    }
    const onError = options.onError ?? ((e: XError) => console.error(`X error on ${name}: ${e.message}`));
    return new Promise((resolve, reject) => {
      const client = x11.createClient(
        {
          display: name,
          ...(options.shm === false || typeof options.shm === "object" ? { shm: options.shm } : {}),
        },
        (err, display) => {
          if (err) return reject(err);
          client.on("error", (e) => onError(e as XError));
          resolve(new DisplayConnection(name, display));
        },
      );
      client.on("error", reject);
    });
  }

  get client(): XClient {
    return this.display.client;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Issues one request that has a reply (or a checked void request) and resolves with its outcome. */
  call<T>(request: (cb: Callback<T>) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      request((err, value) => {
        if (err) reject(err);
        else resolve(value);
        return true; // handled here: not re-emitted as a connection error
      });
    });
  }

  /** The extension, or undefined when the server does not have it; each is asked for once per connection. */
  extension<K extends keyof Extensions>(name: K): Promise<Extensions[K] | undefined> {
    let pending = this.extensions.get(name) as Promise<Extensions[K] | undefined> | undefined;
    if (pending === undefined) {
      pending = new Promise((resolve) => {
        const require = this.client.require as (n: string, cb: Callback<Extensions[K]>) => void;
        require.call(this.client, name, (err, ext) => {
          resolve(err ? undefined : ext);
          return true;
        });
      });
      this.extensions.set(name, pending);
    }
    return pending;
  }

  /** A round trip: resolves once the server has processed every request sent so far. */
  sync(): Promise<void> {
    return this.client.sync();
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.client.terminate();
        resolve();
      }, 1000);
      this.client.close(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
