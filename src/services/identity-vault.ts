/**
 * The identity vault: CPR numbers, names and contact details are encrypted with AES-256-GCM under
 * a key that lives outside the database (an environment variable or a key file), and found again
 * through a keyed hash (HMAC-SHA-256) of the CPR number, so duplicates are caught without storing
 * the number. Keys carry ids so that a rotation can re-encrypt record by record.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

export interface IdentityVault {
  readonly currentKeyId: string;
  encrypt(plaintext: unknown): { keyId: string; ciphertext: string };
  decrypt(keyId: string, ciphertext: string): unknown;
  /** Keyed hash of a normalised CPR number (10 digits). Stable across key rotations. */
  cprIndex(normalizedCpr: string): string;
}

const KeyringSchema = z
  .object({
    current: z.string().min(1),
    keys: z.record(z.string(), z.string()),
    indexKey: z.string(),
  })
  .strict();
export type Keyring = z.infer<typeof KeyringSchema>;

const decodeKey = (b64: string, what: string): Buffer => {
  const key = Buffer.from(b64, 'base64');
  if (key.length !== 32) throw new Error(`${what}: must be 32 bytes, base64-encoded (got ${key.length} bytes)`);
  return key;
};

export function createIdentityVault(keyring: Keyring): IdentityVault {
  const keys = new Map(Object.entries(keyring.keys).map(([id, b64]) => [id, decodeKey(b64, `identity key "${id}"`)]));
  const current = keys.get(keyring.current);
  if (!current) throw new Error(`identity keyring: current key "${keyring.current}" is not in "keys"`);
  const indexKey = decodeKey(keyring.indexKey, 'identity index key');
  return {
    currentKeyId: keyring.current,
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      // The key id is bound as associated data, so a record cannot be relabelled to another key.
      cipher.setAAD(Buffer.from(keyring.current));
      const body = Buffer.concat([cipher.update(JSON.stringify(plaintext), 'utf8'), cipher.final()]);
      return { keyId: keyring.current, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64') };
    },
    decrypt(keyId, ciphertext) {
      const key = keys.get(keyId);
      if (!key) throw new Error(`identity record encrypted with unknown key "${keyId}"`);
      const raw = Buffer.from(ciphertext, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(keyId));
      decipher.setAuthTag(raw.subarray(12, 28));
      return JSON.parse(
        Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'),
      ) as unknown;
    },
    cprIndex(normalizedCpr) {
      return createHmac('sha256', indexKey).update(`cpr:${normalizedCpr}`).digest('hex');
    },
  };
}

/** A keyring from one 32-byte master key: the index key is derived from it with HKDF. */
export function keyringFromMasterKey(b64: string): Keyring {
  const master = decodeKey(b64, 'STEMJOINT_IDENTITY_KEY');
  const indexKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'stemjoint-cpr-index-v1', 32));
  return { current: 'k1', keys: { k1: b64 }, indexKey: indexKey.toString('base64') };
}

export function generateKeyring(): Keyring {
  return {
    current: 'k1',
    keys: { k1: randomBytes(32).toString('base64') },
    indexKey: randomBytes(32).toString('base64'),
  };
}

export const DEFAULT_KEYRING_FILE = './data/identity-keyring.json';

/**
 * Loads the vault from `STEMJOINT_IDENTITY_KEY` (base64 master key) or the keyring file
 * `STEMJOINT_IDENTITY_KEY_FILE`; for a development setup without either, a keyring file is created
 * under ./data/ (mode 0600) and `created` says so, so the caller can warn.
 */
export function loadIdentityVault(env: NodeJS.ProcessEnv = process.env): {
  vault: IdentityVault;
  source: string;
  created: boolean;
} {
  if (env.STEMJOINT_IDENTITY_KEY) {
    return {
      vault: createIdentityVault(keyringFromMasterKey(env.STEMJOINT_IDENTITY_KEY)),
      source: 'STEMJOINT_IDENTITY_KEY',
      created: false,
    };
  }
  const file = env.STEMJOINT_IDENTITY_KEY_FILE ?? DEFAULT_KEYRING_FILE;
  let created = false;
  if (!existsSync(file)) {
    if (env.STEMJOINT_IDENTITY_KEY_FILE) throw new Error(`STEMJOINT_IDENTITY_KEY_FILE: ${file} does not exist`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(generateKeyring(), null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    created = true;
  }
  const parsed = KeyringSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(
      `identity keyring ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return { vault: createIdentityVault(parsed.data), source: file, created };
}
