#ifndef WEFT_SQLITE_SETUP_H
#define WEFT_SQLITE_SETUP_H

/// Process-wide SQLite settings for a store whose connections are each used by one thread at a time (GRDB
/// serialises every connection on its own queue; the checkpoint connection is guarded by a lock). Must run before
/// SQLite initialises, that is before the first connection opens; afterwards SQLite refuses and nothing changes.
///
/// - Multi-thread mode: no per-connection mutex around every API call (bind, step, reset...).
/// - No memory statistics: SQLite otherwise takes a global mutex on every allocation and free to keep them.
///
/// Returns 0 if both settings took effect, else the first SQLite result code that refused.
int weft_sqlite_configure_for_serialised_connections(void);

#endif
