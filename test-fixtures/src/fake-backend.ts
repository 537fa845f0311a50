/**
 * A recording fake backend: keeps every AuthenticatedSession it is given and answers the login like
 * Dovecot would (IMAP `tag OK Logged in`, POP3 `+OK Logged in.`), or fails / hangs on request.
 */
import { BackendError, type AuthenticatedSession, type ClientConnection, type IBackend, type IBackendRegistry } from '@pigeondeliver/core';

/** How the fake behaves on `start`. */
export type FakeBackendMode = 'ok' | 'reject' | 'hang';

/** One recorded start. */
export interface FakeBackendStart {
  readonly session: AuthenticatedSession;
  readonly connection: ClientConnection;
}

/** Records sessions; answers the login on the client stream. */
export class FakeBackend implements IBackend {
  readonly starts: FakeBackendStart[] = [];
  mode: FakeBackendMode = 'ok';
  private waiters: Array<() => void> = [];

  constructor(readonly name: string = 'backend-fake') {}

  /** The sessions received, in order. */
  get sessions(): AuthenticatedSession[] {
    return this.starts.map((s) => s.session);
  }

  async start(session: AuthenticatedSession, connection: ClientConnection): Promise<void> {
    this.starts.push({ session, connection });
    const wake = this.waiters;
    this.waiters = [];
    for (const w of wake) w();
    if (this.mode === 'reject') throw new BackendError('fake backend refused the session');
    if (this.mode === 'hang') return new Promise<void>(() => undefined);
    connection.stream.write(session.protocol === 'imap' ? `${session.loginTag} OK Logged in\r\n` : '+OK Logged in.\r\n');
  }

  /** Resolves when the next (or an already recorded, if `count` is reached) start happens. */
  waitForStart(count = this.starts.length + 1): Promise<FakeBackendStart> {
    if (this.starts.length >= count) return Promise.resolve(this.starts[count - 1]!);
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.starts.length >= count) resolve(this.starts[count - 1]!);
        else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }
}

/** A backend registry over fixed backends (the first is the default). */
export class FakeBackendRegistry implements IBackendRegistry {
  private readonly byName = new Map<string, IBackend>();

  constructor(...backends: IBackend[]) {
    for (const b of backends) this.byName.set(b.name, b);
  }

  forName(name: string | null): IBackend {
    const wanted = name && name.length > 0 ? name : [...this.byName.keys()][0]!;
    const b = this.byName.get(wanted);
    if (!b) throw new BackendError(`backend ${wanted} is not loaded in this process`);
    return b;
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}
