import Foundation
import ProxyConfig
import Yams

/// Reads a `ProxyConfig` from a JSON or YAML file (`.json` is parsed as JSON, anything else as YAML,
/// which also accepts JSON).
public enum ProxyConfigFile {
    /// Why a config file could not be read; the message names the file and the problem.
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    public static func load(path: String) throws -> ProxyConfig {
        try decode(try readBytes(path: path), path: path)
    }

    /// The file's raw content (the watcher compares it to notice changes).
    public static func readBytes(path: String) throws -> [UInt8] {
        do {
            return try FileBytes.read(path)
        } catch {
            throw LoadError(path: path, message: "\(error)")
        }
    }

    public static func decode(_ bytes: [UInt8], path: String) throws -> ProxyConfig {
        do {
            if path.hasSuffix(".json") {
                return try JSONDecoder().decode(ProxyConfig.self, from: Data(bytes))
            }
            return try YAMLDecoder().decode(ProxyConfig.self, from: String(decoding: bytes, as: UTF8.self))
        } catch let error as DecodingError {
            throw LoadError(path: path, message: describe(error))
        } catch {
            throw LoadError(path: path, message: "\(error)")
        }
    }

    /// The active config as pretty JSON with sorted keys (what `/config` serves).
    public static func encodeJSON(_ config: ProxyConfig) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(config) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "(root)" : String(keys.drop(while: { $0 == "." }))
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)): missing field \"\(key.stringValue)\""
        case .typeMismatch(_, let context): return "\(path(context)): \(context.debugDescription)"
        case .valueNotFound(_, let context): return "\(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
