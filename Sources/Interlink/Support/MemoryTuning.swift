import CEventLoop

/// The C allocator's settings for a long-running daemon.
public enum MemoryTuning: Sendable {
    /// At most `count` malloc arenas. glibc makes up to eight per core, one per thread that
    /// allocates at the same moment as another; each keeps the memory freed in it resident.
    public static func limitMallocArenas(_ count: Int32) {
        _ = mallopt(M_ARENA_MAX, count)
    }

    /// Gives the pages malloc holds free back to the system (`malloc_trim`). It walks the
    /// free lists of every arena, so it belongs on a slow timer, not on a request's path.
    public static func returnFreedMemory() {
        _ = malloc_trim(0)
    }
}
