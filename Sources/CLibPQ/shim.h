#ifndef INTERLINK_CLIBPQ_SHIM_H
#define INTERLINK_CLIBPQ_SHIM_H
#include <libpq-fe.h>

// PG_DIAG_SQLSTATE is a character macro, which Swift does not import.
static inline const char *interlink_pq_sqlstate(const PGresult *result) {
    return PQresultErrorField(result, PG_DIAG_SQLSTATE);
}

// The primary human-readable message of a failed result, without the severity prefix.
static inline const char *interlink_pq_primary_message(const PGresult *result) {
    return PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
}
#endif
