export { prisma, getPrisma, createPrisma } from "./client";
export type { Prisma } from "@/lib/generated/prisma/client";
