/**
 * `npm run user -- <command>`: accounts from the command line, on the database the settings name
 * (DATA_DIR / DATABASE_URL), e.g. the first admin before anyone can sign in:
 *
 *   npm run user -- create --role admin --name wang           (asks for the password twice)
 *   echo "$PASSWORD" | npm run user -- create --role planner --name li --password-stdin
 *   npm run user -- create --role village_officer --name zhao --villages 包集村,石山村
 *   npm run user -- passwd --name wang [--password-stdin]     (a forgotten password)
 *   npm run user -- list
 *
 * Every change is written to the audit log as done by "cli".
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { readConfig } from '../server/config.js';
import { openDatabase, type Db } from '../server/db/index.js';
import { migrate } from '../server/db/migrate.js';
import { HttpError, StartupError } from '../server/errors.js';
import { checkNewUser, createUser, listUsers, updateUser } from '../server/auth/users.js';
import { checkNewPassword } from '../server/auth/passwords.js';
import { CLI_ACTOR } from '../server/audit/log.js';

const USAGE = `usage:
  npm run user -- create --role <admin|planner|greening|inspector|village_officer|viewer> --name <username> [--villages a,b] [--password-stdin]
  npm run user -- passwd --name <username> [--password-stdin]
  npm run user -- list`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  // One trailing newline (from echo or a here-string) is not part of the password.
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Asks on the terminal without echoing what is typed. */
function askHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
    let muted = false;
    out._writeToOutput = (s: string) => {
      if (!muted) out.output.write(s);
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

async function password(fromStdin: boolean): Promise<string> {
  if (fromStdin) return readStdin();
  if (!process.stdin.isTTY) throw new StartupError('no terminal to ask for the password on: pipe it in with --password-stdin');
  const first = await askHidden('password: ');
  const again = await askHidden('again: ');
  if (first !== again) throw new StartupError('the two passwords differ; nothing was changed');
  return first;
}

/**
 * Checks the arguments and reads the password before the database opens (which takes seconds on
 * the embedded engine), so a mistake is reported at once; returns what to do with the database.
 */
async function plan(command: string | undefined, values: Record<string, string | boolean | undefined>): Promise<(db: Db) => Promise<void>> {
  const name = values.name as string | undefined;
  const fromStdin = values['password-stdin'] === true;
  switch (command) {
    case 'create': {
      if (!name || !values.role) throw new StartupError(`create needs --role and --name\n${USAGE}`);
      const villages = typeof values.villages === 'string' ? values.villages.split(/[,，]/).map((v) => v.trim()).filter(Boolean) : [];
      // Everything but the password is checked before asking for it.
      checkNewUser({ username: name, password: 'x'.repeat(8), role: values.role, villages });
      const input = checkNewUser({ username: name, password: await password(fromStdin), role: values.role, villages });
      return async (db) => {
        const user = await db.transaction((tx) => createUser(tx, CLI_ACTOR, input));
        console.log(`created ${user.username} (${user.role}${user.villages.length ? `: ${user.villages.join(', ')}` : ''})`);
      };
    }
    case 'passwd': {
      if (!name) throw new StartupError(`passwd needs --name\n${USAGE}`);
      const next = checkNewPassword(await password(fromStdin));
      return async (db) => {
        const user = await updateUser(db, CLI_ACTOR, name, { password: next });
        console.log(`the password of ${user.username} is changed; their sessions have ended`);
      };
    }
    case 'list':
      return async (db) => {
        for (const u of await listUsers(db)) {
          console.log([u.username, u.role, u.villages.join(',') || '-', u.disabled ? 'disabled' : 'active'].join('\t'));
        }
      };
    default:
      throw new StartupError(USAGE);
  }
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    role: { type: 'string' },
    name: { type: 'string' },
    villages: { type: 'string' },
    'password-stdin': { type: 'boolean' },
  },
});

let db: Db | undefined;
try {
  const config = readConfig();
  const work = await plan(positionals[0], values);
  db = await openDatabase(config);
  await migrate(db);
  await work(db);
  await db.close();
} catch (e) {
  await db?.close().catch(() => {});
  if (e instanceof StartupError || e instanceof HttpError) console.error(`user: ${e.message}`);
  else console.error(e);
  process.exit(1);
}
