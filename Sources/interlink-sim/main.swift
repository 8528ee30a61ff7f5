import Interlink
#if canImport(Glibc)
import Glibc
#endif

print("interlink-sim \(InterlinkVersion.current)")
