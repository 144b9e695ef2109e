#include "weft_sqlite_setup.h"

#include <sqlite3.h>

// sqlite3_config is variadic, which Swift cannot call; this is the whole reason for this file.
int weft_sqlite_configure_for_serialised_connections(void) {
    int code = sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    if (code != SQLITE_OK) return code;
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
