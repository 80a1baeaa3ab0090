import pg from "pg";
const c = new pg.Client("postgresql://postgres:bench@127.0.0.1:5611/postgres");
await c.connect();
const sql = process.argv[2]!;
const r = await c.query(sql);
console.table(r.rows);
await c.end();
