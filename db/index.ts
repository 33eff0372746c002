export { getDb, getDbHandle, rows, closeDb, type Db, type Tx, type DbOrTx } from "./client";
export * from "./schema";
