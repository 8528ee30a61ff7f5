#ifndef INTERLINK_CEVENTLOOP_SHIM_H
#define INTERLINK_CEVENTLOOP_SHIM_H

// epoll and eventfd from glibc, which Swift's Glibc module does not bring in: the HTTP
// server's event loop waits on them.
#include <sys/epoll.h>
#include <sys/eventfd.h>

#endif
