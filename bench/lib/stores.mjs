// The bench's own database and Redis housekeeping: a fresh database per run,
// dropped at the end, and the run's queue keys deleted from Redis.
import net from 'node:net';
import pg from 'pg';

/** The admin URL with its database name replaced. */
export function databaseUrl(adminUrl, database) {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withAdmin(adminUrl, fn) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(adminUrl, name) {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  return databaseUrl(adminUrl, name);
}

export async function dropDatabase(adminUrl, name) {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

export async function serverVersion(adminUrl) {
  return withAdmin(adminUrl, async (c) => (await c.query('SHOW server_version')).rows[0].server_version);
}

/** One query on a short-lived connection. */
export async function query(url, sql, params = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

// --- a minimal RESP client, enough for PING, SCAN and DEL -------------------------

function encode(args) {
  return `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`).join('');
}

/** Parses one RESP value at buf[pos]; returns [value, nextPos] or null when incomplete. */
function parse(buf, pos) {
  const eol = buf.indexOf('\r\n', pos);
  if (eol < 0) return null;
  const type = String.fromCharCode(buf[pos]);
  const line = buf.toString('utf8', pos + 1, eol);
  const after = eol + 2;
  if (type === '+') return [line, after];
  if (type === '-') return [new Error(line), after];
  if (type === ':') return [Number(line), after];
  if (type === '$') {
    const len = Number(line);
    if (len < 0) return [null, after];
    if (buf.length < after + len + 2) return null;
    return [buf.toString('utf8', after, after + len), after + len + 2];
  }
  if (type === '*') {
    const n = Number(line);
    if (n < 0) return [null, after];
    const out = [];
    let p = after;
    for (let i = 0; i < n; i++) {
      const r = parse(buf, p);
      if (!r) return null;
      out.push(r[0]);
      p = r[1];
    }
    return [out, p];
  }
  throw new Error(`unexpected RESP type ${type}`);
}

async function redisSession(redisUrl, fn) {
  const u = new URL(redisUrl);
  if (u.protocol !== 'redis:') throw new Error('bench cleanup supports redis:// only');
  const socket = net.connect({ host: u.hostname === 'localhost' ? '127.0.0.1' : u.hostname, port: Number(u.port || 6379) });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let buf = Buffer.alloc(0);
  const waiting = [];
  socket.on('data', (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      const r = waiting.length ? parse(buf, 0) : null;
      if (!r) break;
      buf = buf.subarray(r[1]);
      waiting.shift()(r[0]);
    }
  });
  const cmd = (...args) =>
    new Promise((resolve, reject) => {
      waiting.push((v) => (v instanceof Error ? reject(v) : resolve(v)));
      socket.write(encode(args));
    });
  try {
    if (u.password) await cmd('AUTH', ...(u.username ? [decodeURIComponent(u.username)] : []), decodeURIComponent(u.password));
    if (u.pathname.length > 1) await cmd('SELECT', u.pathname.slice(1));
    return await fn(cmd);
  } finally {
    socket.destroy();
  }
}

export function redisPing(redisUrl) {
  return redisSession(redisUrl, (cmd) => cmd('PING'));
}

/** Deletes every key under `prefix:`; returns how many. */
export function deleteRedisPrefix(redisUrl, prefix) {
  return redisSession(redisUrl, async (cmd) => {
    let cursor = '0';
    let deleted = 0;
    do {
      const [nextCursor, keys] = await cmd('SCAN', cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = nextCursor;
      if (keys.length) deleted += await cmd('DEL', ...keys);
    } while (cursor !== '0');
    return deleted;
  });
}
