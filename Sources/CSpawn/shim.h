#ifndef INTERLINK_CSPAWN_SHIM_H
#define INTERLINK_CSPAWN_SHIM_H

// glibc's GNU extensions for starting children, which Swift's Glibc module (built without
// _GNU_SOURCE) does not declare: the test harness closes every inherited descriptor in a
// child, runs it in a working directory, and makes close-on-exec pipes atomically.
#include <spawn.h>

int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *actions, const char *path);
int pipe2(int descriptors[2], int flags);

#endif
