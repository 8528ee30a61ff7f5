#ifndef INTERLINK_CSQLITE_SHIM_H
#define INTERLINK_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
