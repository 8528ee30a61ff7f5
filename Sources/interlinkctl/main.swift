import Interlink
#if canImport(Glibc)
import Glibc
#endif

print("interlinkctl \(InterlinkVersion.current)")
