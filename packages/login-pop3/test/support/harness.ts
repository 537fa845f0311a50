/** Builds a Pop3LoginService from real login-common parts, a memory user store and a fake backend. */
import { DEFAULT_LIMITS, silentLogger, validateOptions, type ClientConnection, type Limits, type Logger, type RawOption } from '@pigeondeliver/core';
import {
  Authenticator,
  PenaltyTracker,
  SaslMechanismRegistry,
  SessionRouter,
  TlsContextProvider,
  TrustedNetworks,
  defaultLoginCommonSettings,
  type LoginCommonSettings,
  type TlsSettings,
} from '@pigeondeliver/login-common';
import { FakeBackend, FakeBackendRegistry } from '@pigeondeliver/test-fixtures/fake-backend';
import { MemoryUserRepository, PlaintextPasswordVerifier } from '@pigeondeliver/test-fixtures/fake-authenticator';
import { createStreamPair, type StreamPairOptions, type StreamPair } from '@pigeondeliver/test-fixtures/stream-pair';
import { ScriptedClient } from '@pigeondeliver/test-fixtures/scripted-client';
import { Pop3LoginService, POP3_OPTIONS } from '@pigeondeliver/login-pop3';

/** What a test may change. */
export interface HarnessOptions {
  readonly limits?: Partial<Limits>;
  readonly settings?: Partial<LoginCommonSettings>;
  /** pop3_* options as they would be written in the config file (`{ pop3_apop: 'yes' }`). */
  readonly pop3?: Readonly<Record<string, string>>;
  readonly tls?: TlsSettings;
  readonly logger?: Logger;
  /** The backend to hand sessions to (default a recording FakeBackend named backend-dovecot). */
  readonly backend?: FakeBackend;
}

/** A wired service and its fakes. */
export interface Harness {
  readonly service: Pop3LoginService;
  readonly users: MemoryUserRepository;
  readonly verifier: PlaintextPasswordVerifier;
  readonly backend: FakeBackend;
  readonly penalty: PenaltyTracker;
  readonly limits: Limits;
  readonly tls: TlsContextProvider;
  /** Connects an in-memory client; `done` resolves when handle() returns. */
  connect(options?: StreamPairOptions): { pair: StreamPair; client: ScriptedClient; done: Promise<void> };
}

/** Default users: alice/secret (plaintext), bob disabled, carol without POP3, remote on another node, broken hash, hashed (one-way). */
export function buildHarness(options: HarnessOptions = {}): Harness {
  const limits: Limits = { ...DEFAULT_LIMITS, penaltyInitial: 0, ...options.limits };
  const settings = defaultLoginCommonSettings({ dummyPasswordHash: '{PLAIN}dummy', ...options.settings });
  const logger = options.logger ?? silentLogger();
  const users = new MemoryUserRepository([
    { login: 'alice', password: '{PLAIN}secret' },
    { login: 'bob', password: '{PLAIN}secret', enabled: false },
    { login: 'carol', password: '{PLAIN}secret', allowPop3: false },
    { login: 'remote', password: '{PLAIN}secret', host: 'othernode' },
    { login: 'broken', password: '{FAIL}x' },
    { login: 'jürgen', password: '{PLAIN}pässwörd' },
    { login: 'spacey', password: '{PLAIN}with two  spaces ' },
    // One-way hash of "secret" (Dovecot SHA256): cannot serve APOP.
    { login: 'hashed', password: '{SHA256}K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=' },
  ]);
  const verifier = new PlaintextPasswordVerifier();
  const penalty = new PenaltyTracker({ initial: limits.penaltyInitial, max: limits.penaltyMax, memory: limits.penaltyMemory, maxEntries: 1000, ipv6Prefix: 64 });
  const authenticator = new Authenticator(users, verifier, penalty, limits, logger, settings);
  const sasl = new SaslMechanismRegistry(settings, verifier);
  const backend = options.backend ?? new FakeBackend('backend-dovecot');
  const router = new SessionRouter(new FakeBackendRegistry(backend), limits, logger, settings);
  const tls = new TlsContextProvider(options.tls ?? { certFile: '', keyFile: '', sniCertificates: [], minVersion: 'TLSv1.2', caFile: '', requestClientCert: false });
  const raw: RawOption[] = Object.entries(options.pop3 ?? {}).map(([key, value]) => ({ key, value, source: 'test' }));
  const resolved = validateOptions(raw, Object.values(POP3_OPTIONS));
  const service = new Pop3LoginService(authenticator, sasl, router, new TrustedNetworks(settings.trustedNetworks), tls, settings, limits, resolved);
  return {
    service,
    users,
    verifier,
    backend,
    penalty,
    limits,
    tls,
    connect(pairOptions: StreamPairOptions = {}) {
      const pair = createStreamPair({ local: { address: '192.0.2.1', port: 110 }, ...pairOptions });
      const done = service.handle(pair.connection as ClientConnection);
      return { pair, client: new ScriptedClient(pair.client, 3000), done };
    },
  };
}

/** PLAIN message base64. */
export function plain(user: string, password: string, authzid = ''): string {
  return Buffer.from(`${authzid}\0${user}\0${password}`, 'utf8').toString('base64');
}

/** base64 of a UTF-8 text. */
export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
