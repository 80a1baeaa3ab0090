// Replaced by the real setup (embedded PostgreSQL) in the foundation work.
export default async function setup() {}
