import { closeDb } from "@/db/client";
import { main } from "./commands/main";

main(process.argv.slice(2))
  .then(async (code) => {
    await closeDb().catch(() => {});
    process.exit(code);
  });
