extension HTTPPathModifier {
    /// The new path for a request path (without query) under this modifier.
    ///
    /// `ReplacePrefixMatch` replaces the `PathPrefix` the request matched element-wise, trailing
    /// `/` ignored on both prefix and replacement, following the table of the Gateway API spec
    /// (`/foo/bar` with prefix `/foo` and replacement `/xyz` gives `/xyz/bar`; replacement `""`
    /// or `/` gives `/bar`; `/foo` gives `/`). `matchedPrefix` is normalized (see
    /// `PathPrefix.normalized`); without one the path is returned unchanged.
    public func apply(to path: Substring, matchedPrefix: String?) -> String {
        switch self {
        case .replaceFullPath(let value):
            return value
        case .replacePrefixMatch(let replacement):
            guard let matchedPrefix, PathPrefix.matches(prefix: matchedPrefix, path: path) else { return String(path) }
            let rest = path.utf8.dropFirst(matchedPrefix.utf8.count)  // "" or starts with "/"
            let head = PathPrefix.normalized(replacement)
            var result = head
            result += Substring(rest)
            return result.isEmpty ? "/" : result
        case .regexSubstitution(let substitution):
            return substitution.apply(to: path) ?? String(path)
        }
    }
}
