import { z } from "zod";

/** What the sign-in form sends; the browser checks it before sending, the server again. */
export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, "Enter your email.").max(254, "Email is too long."),
  password: z.string().min(1, "Enter your password.").max(256, "A password is at most 256 characters."),
});
