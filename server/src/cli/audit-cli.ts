import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { KeyObject } from 'node:crypto';
import { ConfigError, loadConfig } from '../config/config.js';
import { databaseTarget, openDatabase, type Database } from '../open-database.js';
import { DataDirInUseError, readDataDirLock } from '../database/embedded-postgres.js';
import { AuditCheckpoints, CheckpointError } from '../modules/audit/audit-checkpoints.js';
import { ExportFileError, parseCheckpointExport, verifyAgainstExport } from '../modules/audit/audit-offline-verify.js';
import { generateSigningKeyPem, keyIdOf, openAuditSigner, parsePublicKey, writeKeyFile } from '../modules/audit/audit-signing.js';
import { verifyStoredChain } from '../modules/audit/audit.service.js';

const USAGE = `Usage: npm run audit -- verify [--checkpoints FILE] [--public-key FILE] [--org ID]
       npm run audit -- export --out FILE [--org ID]
       npm run audit -- checkpoint [--org ID]
       npm run audit -- keygen --out FILE
       npm run audit -- public-key

verify      recomputes the audit chain straight from the configured database (DATA_DIR or DATABASE_URL; no server
            needed). With --checkpoints, against an exported file: names the first entry that differs from it.
            The signatures are checked with --public-key, else the configured signing key's, else the file's own.
export      signs the chain head and writes the checkpoints with the chain's hashes to FILE (keep it outside the database)
checkpoint  signs the chain head now
keygen      writes a new Ed25519 signing key to FILE (mode 600) and prints its public key
public-key  prints the public key of the configured signing key (AUDIT_SIGNING_KEY_FILE or AUDIT_SIGNING_KEY)

Exit codes: 0 intact / done, 1 the chain differs or the command failed, 2 bad usage.`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { checkpoints: { type: 'string' }, 'public-key': { type: 'string' }, org: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' } },
  });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (command === 'keygen') {
    if (!values.out) throw new UsageError('keygen needs --out FILE');
    const { privateKeyPem, publicKeyPem } = generateSigningKeyPem();
    writeKeyFile(values.out, privateKeyPem);
    console.log(`Wrote the signing key to ${values.out} (only its owner may read it). Point AUDIT_SIGNING_KEY_FILE at it.`);
    console.log(`Its public key, to verify exports with (key id ${keyIdOf(parsePublicKey(publicKeyPem))}):\n${publicKeyPem}`);
    return 0;
  }
  const config = loadConfig();
  const source = config.audit.signingKey;
  // Verifying never creates the embedded database's key file: without one there is nothing signed to check.
  const signer = command === 'verify' && source?.kind === 'file' && !fs.existsSync(source.file) ? null : openAuditSigner(source);
  if (command === 'public-key') {
    if (!signer) throw new UsageError('no signing key is configured: set AUDIT_SIGNING_KEY_FILE or AUDIT_SIGNING_KEY');
    console.log(`key id ${signer.keyId}\n${signer.publicKeyPem}`);
    return 0;
  }
  if (!['verify', 'export', 'checkpoint'].includes(command)) throw new UsageError(`unknown command ${command}`);
  if (command === 'export' && !values.out) throw new UsageError('export needs --out FILE');

  if (config.database.kind === 'embedded') {
    const holder = readDataDirLock(config.database.dataDir);
    if (holder) throw new DataDirInUseError(config.database.dataDir, holder.pid, holder.url);
  }
  const db = await openDatabase(databaseTarget(config.database));
  try {
    const file = values.checkpoints ? parseCheckpointExport(fs.readFileSync(values.checkpoints, 'utf8')) : null;
    const org = await organisationOf(db, values.org ?? file?.organisationId);
    const checkpoints = new AuditCheckpoints(db.dataSource, signer);
    if (command === 'checkpoint') {
      const c = await checkpoints.write(org.id);
      console.log(c ? `Signed: entry ${c.seq} of ${org.name}, hash ${c.hash}, key ${c.keyId}, ${c.signedAt.toISOString()}` : `${org.name} has no audit entries yet.`);
      return 0;
    }
    if (command === 'export') {
      const exported = await checkpoints.export(org.id);
      fs.writeFileSync(values.out!, JSON.stringify(exported, null, 1));
      const last = exported.checkpoints.at(-1);
      console.log(`Wrote ${exported.checkpoints.length} checkpoint(s) of ${org.name} up to entry ${last?.seq ?? 0}, key ${exported.keyId}, to ${values.out}`);
      return 0;
    }
    const publicKey = trustedKey(values['public-key'], signer?.publicKey ?? null, file?.publicKey);
    console.log(`The audit chain of ${org.name} (${org.id}):`);
    if (file) {
      const report = await verifyAgainstExport(db.dataSource, file, publicKey!.key);
      if (publicKey!.from === 'file') console.log(`! trusting the public key inside the file (key id ${keyIdOf(publicKey!.key)}): pass --public-key to pin it`);
      for (const line of report.lines) console.log(line);
      return report.ok ? 0 : 1;
    }
    const result = await verifyStoredChain(db.dataSource, org.id, publicKey?.key ?? null);
    if (!publicKey) console.log('! no signing key: the chain is checked against itself only; pass --checkpoints FILE to compare it with an export');
    if (result.ok) {
      console.log(`✓ ${result.checked} entries recomputed; ${result.checkpoints} signed checkpoint(s) reached${result.lastCheckpoint ? `, the last at entry ${result.lastCheckpoint.seq}` : ''}`);
      return 0;
    }
    console.log(`✗ entry ${result.firstBrokenSeq ?? '?'}${result.firstBrokenId ? ` (id ${result.firstBrokenId})` : ''}: ${result.problem}`);
    return 1;
  } finally {
    await db.close();
  }
}

/** The key signatures are checked with: pinned on the command line, the configured one, or the file's own. */
function trustedKey(pinned: string | undefined, configured: KeyObject | null, inFile: string | undefined): { key: KeyObject; from: 'pinned' | 'config' | 'file' } | null {
  if (pinned) return { key: parsePublicKey(fs.readFileSync(pinned, 'utf8')), from: 'pinned' };
  if (configured) return { key: configured, from: 'config' };
  return inFile ? { key: parsePublicKey(inFile), from: 'file' } : null;
}

async function organisationOf(db: Database, id: string | undefined): Promise<{ id: string; name: string }> {
  const orgs: { id: string; name: string }[] = await db.dataSource.query(`SELECT id, name FROM organisation ORDER BY created_at`);
  if (id) {
    const org = orgs.find((o) => o.id === id);
    if (!org) throw new UsageError(`no organisation ${id} in this database`);
    return org;
  }
  if (orgs.length !== 1) throw new UsageError(orgs.length ? `the database holds ${orgs.length} organisations: name one with --org ID` : 'the database holds no organisation');
  return orgs[0];
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof UsageError) {
      console.error(`${e.message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (e instanceof ConfigError || e instanceof DataDirInUseError || e instanceof CheckpointError || e instanceof ExportFileError) {
      console.error(e.message);
    } else {
      console.error('The audit command failed:', e);
    }
    process.exit(1);
  },
);
