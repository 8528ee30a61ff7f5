#ifndef INTERLINK_CEVENTLOOP_SHIM_H
#define INTERLINK_CEVENTLOOP_SHIM_H

// epoll and eventfd from glibc, which Swift's Glibc module does not bring in: the HTTP
// server's event loop waits on them. malloc.h too, for the daemon's arena limit (mallopt).
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <malloc.h>

#endif
