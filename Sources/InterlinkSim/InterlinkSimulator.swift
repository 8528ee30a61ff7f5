public enum InterlinkSimulator: Sendable {}
