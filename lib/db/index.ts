export { prisma } from "./client";
