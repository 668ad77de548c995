/**
 * A real server on a real port over a fresh database, for HTTP and browser tests, plus a small
 * cookie-aware client that behaves like a browser session (cookie + CSRF header on writes).
 */
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../src/storage/database.js';
import { buildApp } from '../../src/server/app.js';
import { createServiceContext, type SecuritySettings, type ServiceContext } from '../../src/services/context.js';
import { initStudy } from '../../src/services/study.js';
import { createIdentityVault, generateKeyring } from '../../src/services/identity-vault.js';
import { createTestDatabase, type TestDatabase } from './engines.js';

export const ADMIN_EMAIL = 'admin@test.local';
export const ADMIN_PASSWORD = 'admin-password-123';

export interface TestServer {
  url: string;
  ctx: ServiceContext;
  app: FastifyInstance;
  testDb: TestDatabase;
  /** Mutable clock offset in ms, for session-expiry and lockout tests. */
  advanceClock(ms: number): void;
  close(): Promise<void>;
}

/**
 * Options for the HTTP layer. Two-factor authentication is a security setting
 * (`security.totpRequiredRoles`) and stays off unless a test asks for it, so that tests of other
 * features sign in with a password only, as `npm run demo` does.
 */
export interface TestServerOptions {
  /** As STEMJOINT_SECURE_COOKIES: Secure cookies and HSTS (default off: tests speak plain HTTP). */
  secureCookies?: boolean;
}

export async function startTestServer(
  engine: Engine,
  security: Partial<SecuritySettings> = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  const testDb = await createTestDatabase(engine);
  const database = await testDb.open();
  let offset = 0;
  const ctx = createServiceContext(database, {
    now: () => new Date(Date.now() + offset),
    security,
    identityVault: createIdentityVault(generateKeyring()),
  });
  await initStudy(ctx, { adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD });
  const app = await buildApp(ctx, { logLevel: 'silent', secureCookies: options.secureCookies ?? false });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    ctx,
    app,
    testDb,
    advanceClock: (ms) => {
      offset += ms;
    },
    close: async () => {
      await app.close();
      await database.close();
      await testDb.drop();
    },
  };
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A browser-like API client: keeps the session cookie and sends the CSRF token on writes. */
export class ApiClient {
  cookie: string | null = null;
  csrf: string | null = null;
  bearer: string | null = null;
  constructor(readonly baseUrl: string) {}

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] ??= this.csrf;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const m = /sj_session=([^;]*)/.exec(setCookie);
      if (m) this.cookie = m[1] ? `sj_session=${m[1]}` : null;
    }
    const textBody = await res.text();
    let parsed: unknown = textBody;
    try {
      parsed = textBody ? JSON.parse(textBody) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = Record<string, unknown>>(path: string): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path);
  }
  post<T = Record<string, unknown>>(path: string, body?: unknown): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, body);
  }

  async login(
    email: string,
    password: string,
  ): Promise<ApiResponse<{ csrfToken: string; mustChangePassword: boolean }>> {
    const r = await this.request<{ csrfToken: string; mustChangePassword: boolean }>('POST', '/api/v1/auth/login', {
      email,
      password,
    });
    if (r.status === 200) this.csrf = r.body.csrfToken;
    return r;
  }
}
