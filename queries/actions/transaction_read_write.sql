-- First statement of an action's own transaction: read-write for this transaction only.
SET TRANSACTION READ WRITE
