import "next-auth";
import "next-auth/jwt";

type DbRole = "ADMIN" | "ANALYST" | "VIEWER";

declare module "next-auth" {
  interface User {
    role: DbRole;
    epoch: number;
    sid: string;
  }
  interface Session {
    user: {
      id: string;
      role: DbRole;
      epoch: number;
      sid: string;
      email?: string | null;
      name?: string | null;
    };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid: string;
    role: DbRole;
    epoch: number;
    sid: string;
  }
}
