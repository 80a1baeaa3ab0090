-- The audit trail refused UPDATE and DELETE row by row; TRUNCATE fires no row trigger, so it
-- emptied the table all the same. Refuse it too (only the table's owner can disable a trigger,
-- and the console's application role owns nothing: lib/db/roles.ts).
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"();
