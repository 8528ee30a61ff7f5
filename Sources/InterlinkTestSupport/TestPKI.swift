import Foundation
import Interlink

/// Certificates made by `openssl` for the TLS scenarios: a test CA, an unknown CA, server
/// certificates that are good, for the wrong host, expired, or signed by the unknown CA, and
/// a client certificate for mTLS. P-256 keys, so making them all takes a fraction of a second.
public struct TestPKI: Sendable {
    public let directory: String

    public func path(_ name: String) -> String { directory + "/" + name }

    public init(in parent: TemporaryDirectory) throws {
        directory = parent.path + "/pki"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for key in ["ca", "unknown-ca", "server", "wrong-host", "expired", "client"] {
            try openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "\(key).key"])
        }
        for (name, subject) in [("ca", "Interlink Test CA"), ("unknown-ca", "Unknown CA")] {
            try openssl(["req", "-x509", "-new", "-key", "\(name).key", "-sha256", "-days", "30", "-subj", "/CN=\(subject)",
                         "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                         "-out", "\(name).pem"])
        }
        let server = "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
        try write("server.ext", server + "subjectAltName=DNS:localhost,IP:127.0.0.1\n")
        try write("wrong-host.ext", server + "subjectAltName=DNS:wrong.example\n")
        try write("client.ext", "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n")
        for (name, subject) in [("server", "localhost"), ("wrong-host", "wrong.example"), ("expired", "localhost"), ("client", "interlinkd")] {
            try openssl(["req", "-new", "-key", "\(name).key", "-subj", "/CN=\(subject)", "-out", "\(name).csr"])
        }
        func sign(_ csr: String, ext: String, by ca: String, out: String) throws {
            try openssl(["x509", "-req", "-in", "\(csr).csr", "-CA", "\(ca).pem", "-CAkey", "\(ca).key", "-CAcreateserial",
                         "-sha256", "-days", "30", "-extfile", "\(ext).ext", "-out", out])
        }
        try sign("server", ext: "server", by: "ca", out: "server.pem")
        try sign("wrong-host", ext: "wrong-host", by: "ca", out: "wrong-host.pem")
        try sign("client", ext: "client", by: "ca", out: "client.pem")
        try sign("server", ext: "server", by: "unknown-ca", out: "server-unknown-ca.pem")
        // OpenSSL 3.0's x509 cannot date a certificate in the past; `openssl ca` can.
        try FileManager.default.createDirectory(atPath: path("ca-db"), withIntermediateDirectories: true)
        try write("ca-db/index.txt", "")
        try write("ca-db/serial", "1000\n")
        try write("ca.cnf", """
            [ca]
            default_ca = test
            [test]
            dir = \(directory)/ca-db
            database = $dir/index.txt
            serial = $dir/serial
            new_certs_dir = $dir
            certificate = \(directory)/ca.pem
            private_key = \(directory)/ca.key
            default_md = sha256
            policy = any
            copy_extensions = none
            unique_subject = no
            [any]
            commonName = supplied
            [server]
            basicConstraints = CA:FALSE
            keyUsage = critical,digitalSignature
            extendedKeyUsage = serverAuth
            subjectAltName = DNS:localhost,IP:127.0.0.1

            """)
        try openssl(["ca", "-batch", "-notext", "-config", "ca.cnf", "-extensions", "server",
                     "-startdate", "20200101000000Z", "-enddate", "20200201000000Z", "-in", "expired.csr", "-out", "expired.pem"])
    }

    private func write(_ name: String, _ text: String) throws {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
    }

    private func openssl(_ arguments: [String]) throws {
        let result = try runProcess("/usr/bin/openssl", arguments, currentDirectory: directory)
        guard result.status == 0 else {
            throw HarnessError("openssl \(arguments.prefix(2).joined(separator: " ")) failed: \(result.stderr)")
        }
    }
}
