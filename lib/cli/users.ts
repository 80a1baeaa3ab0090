import { parseArgs } from "node:util";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { audit } from "@/lib/audit/log";
import { roleSchema } from "@/lib/users/schema";
import { createUser, listUsers, UserError } from "@/lib/users/service";
import { formatTable, readPassword, UsageError, type CliIO } from "./io";

export const USERS_USAGE = `Usage:
  npm run cli -- users add --email EMAIL --role admin|viewer [--name NAME]
      (the password is read from stdin when piped, else prompted for)
  npm run cli -- users list`;

export async function usersCommand(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "add") return addUser(rest, db, io);
  if (sub === "list") {
    parseArgs({ args: rest, options: {}, strict: true });
    const users = await listUsers(db);
    io.out(
      formatTable(
        ["EMAIL", "ROLE", "STATUS", "LAST SIGN-IN"],
        users.map((u) => [u.email, u.role, u.disabled ? "disabled" : "active", u.lastLoginAt?.toISOString() ?? "never"]),
      ),
    );
    return 0;
  }
  throw new UsageError(sub ? `Unknown users command "${sub}".\n${USERS_USAGE}` : USERS_USAGE);
}

async function addUser(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { email: { type: "string" }, role: { type: "string" }, name: { type: "string" } },
    strict: true,
  });
  if (!values.email) throw new UsageError("--email is required.");
  const role = roleSchema.safeParse(values.role);
  if (!role.success) throw new UsageError("--role must be admin or viewer.");
  const password = await readPassword(io);
  try {
    const user = await createUser(db, { email: values.email, password, role: role.data, name: values.name });
    await audit(db, { actorEmail: "cli", action: "user.create", target: user.email, details: { role: user.role, via: "cli" } });
    io.out(`Created ${user.role} ${user.email}.`);
    return 0;
  } catch (err) {
    if (err instanceof UserError) throw new UsageError(err.message);
    throw err;
  }
}
