extension ConfigValidator {
    mutating func check(_ route: HTTPRoute, _ path: String) {
        if route.name.isEmpty { report("\(path).name", .required, "must not be empty") }
        if route.namespace.isEmpty { report("\(path).namespace", .required, "must not be empty") }
        if let timestamp = route.creationTimestamp, RFC3339Timestamp(timestamp) == nil {
            report("\(path).creationTimestamp", .invalid, "\"\(timestamp)\" is not an RFC 3339 timestamp")
        }
        for (i, hostname) in route.hostnames.enumerated() {
            if let problem = NameRules.hostnameProblem(hostname) { report("\(path).hostnames[\(i)]", .invalid, problem) }
        }
        var ruleNames: [String: Int] = [:]
        for (i, rule) in route.rules.enumerated() {
            if let name = rule.name {
                if let problem = NameRules.sectionNameProblem(name) { report("\(path).rules[\(i)].name", .invalid, problem) }
                if let earlier = ruleNames[name] {
                    report("\(path).rules[\(i)].name", .duplicate, "Rule name must be unique within the route (also rules[\(earlier)])")
                } else {
                    ruleNames[name] = i
                }
            }
            check(rule, "\(path).rules[\(i)]")
        }
    }

    mutating func check(_ rule: HTTPRouteRule, _ path: String) {
        for (i, match) in rule.matches.enumerated() {
            check(match, "\(path).matches[\(i)]")
        }
        check(rule.filters, "\(path).filters", rule: rule, inBackendRef: false)
        for (i, ref) in rule.backendRefs.enumerated() {
            let bp = "\(path).backendRefs[\(i)]"
            if let name = ref.backend, !backendNames.contains(name) {
                report("\(bp).backend", .unknownReference, "unknown backend \"\(name)\"")
            }
            requireRange(ref.weight, 0...1_000_000, "\(bp).weight")
            check(ref.filters, "\(bp).filters", rule: rule, inBackendRef: true)
        }
        checkDuration(rule.timeouts?.request, "\(path).timeouts.request")
        checkDuration(rule.timeouts?.backendRequest, "\(path).timeouts.backendRequest")
        if let timeouts = rule.timeouts, let request = timeouts.request, let backend = timeouts.backendRequest,
            request.milliseconds != 0, backend > request
        {
            report(
                "\(path).timeouts.backendRequest", .conflict,
                "backendRequest timeout cannot be longer than request timeout (\(backend) > \(request))")
        }
        if let retry = rule.retry {
            requireRange(retry.attempts, 0...100, "\(path).retry.attempts")
            for (i, code) in retry.codes.enumerated() { requireRange(code, 400...599, "\(path).retry.codes[\(i)]") }
            checkDuration(retry.backoff, "\(path).retry.backoff")
        }
        if let body = rule.maxRequestBodyBytes, body < 0 {
            report("\(path).maxRequestBodyBytes", .outOfRange, "must not be negative, got \(body)")
        }
    }

    mutating func check(_ match: HTTPRouteMatch, _ path: String) {
        let value = match.path.value
        switch match.path.type {
        case .exact, .pathPrefix:
            for problem in NameRules.pathProblems(value) { report("\(path).path.value", .invalid, problem) }
        case .regularExpression:
            checkRegex(value, "\(path).path.value")
        }
        var headerNames: [String: Int] = [:]
        for (i, header) in match.headers.enumerated() {
            let hp = "\(path).headers[\(i)]"
            if let problem = NameRules.headerNameProblem(header.name) { report("\(hp).name", .invalid, problem) }
            if let earlier = headerNames[header.name.lowercased()] {
                report("\(hp).name", .duplicate, "duplicate header name \"\(header.name)\" (also headers[\(earlier)])")
            } else {
                headerNames[header.name.lowercased()] = i
            }
            if header.type == .regularExpression { checkRegex(header.value, "\(hp).value") }
        }
        var queryNames: [String: Int] = [:]
        for (i, query) in match.queryParams.enumerated() {
            let qp = "\(path).queryParams[\(i)]"
            if query.name.isEmpty { report("\(qp).name", .required, "must not be empty") }
            if let earlier = queryNames[query.name] {
                report("\(qp).name", .duplicate, "duplicate query parameter name \"\(query.name)\" (also queryParams[\(earlier)])")
            } else {
                queryNames[query.name] = i
            }
            if query.type == .regularExpression { checkRegex(query.value, "\(qp).value") }
        }
    }

    mutating func checkRegex(_ pattern: String, _ path: String) {
        do {
            _ = try Regex(pattern)
        } catch {
            report(path, .invalid, "invalid regular expression \"\(pattern)\": \(error)")
        }
    }

    mutating func check(_ filters: [HTTPRouteFilter], _ path: String, rule: HTTPRouteRule, inBackendRef: Bool) {
        var seen: [String: Int] = [:]
        for (i, filter) in filters.enumerated() {
            let fp = "\(path)[\(i)]"
            if filter.type != "RequestMirror" {
                if seen[filter.type] != nil {
                    report("\(fp).type", .duplicate, "\(filter.type) filter cannot be repeated")
                } else {
                    seen[filter.type] = i
                }
            }
            switch filter {
            case .requestHeaderModifier(let modifier):
                check(modifier, "\(fp).requestHeaderModifier")
            case .responseHeaderModifier(let modifier):
                check(modifier, "\(fp).responseHeaderModifier")
            case .requestRedirect(let redirect):
                if inBackendRef {
                    report("\(fp).type", .conflict, "RequestRedirect is not supported in backendRefs filters")
                }
                check(redirect, "\(fp).requestRedirect", rule: rule)
            case .urlRewrite(let rewrite):
                if let hostname = rewrite.hostname, let problem = NameRules.hostnameProblem(hostname, allowWildcard: false) {
                    report("\(fp).urlRewrite.hostname", .invalid, problem)
                }
                if let modifier = rewrite.path {
                    check(modifier, "\(fp).urlRewrite.path", rule: rule, filter: "URLRewrite")
                }
            case .requestMirror(let mirror):
                check(mirror, "\(fp).requestMirror")
            }
        }
        if seen["RequestRedirect"] != nil && seen["URLRewrite"] != nil {
            report(
                path, .conflict,
                "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both")
        }
    }

    mutating func check(_ modifier: HTTPHeaderFilter, _ path: String) {
        for (listName, headers) in [("set", modifier.set), ("add", modifier.add)] {
            for (i, header) in headers.enumerated() {
                if let problem = NameRules.headerValueProblem(header.value) { report("\(path).\(listName)[\(i)].value", .invalid, problem) }
            }
        }
        for (listName, names) in [("set", modifier.set.map(\.name)), ("add", modifier.add.map(\.name)), ("remove", modifier.remove)] {
            var first: [String: Int] = [:]
            for (i, name) in names.enumerated() {
                let np = listName == "remove" ? "\(path).remove[\(i)]" : "\(path).\(listName)[\(i)].name"
                if let problem = NameRules.headerNameProblem(name) { report(np, .invalid, problem) }
                if let earlier = first[name.lowercased()] {
                    report(np, .duplicate, "duplicate header name \"\(name)\" (also \(listName)[\(earlier)])")
                } else {
                    first[name.lowercased()] = i
                }
            }
        }
    }

    mutating func check(_ redirect: HTTPRequestRedirectFilter, _ path: String, rule: HTTPRouteRule) {
        if let scheme = redirect.scheme, scheme != "http" && scheme != "https" {
            report("\(path).scheme", .invalid, "must be \"http\" or \"https\", got \"\(scheme)\"")
        }
        if let hostname = redirect.hostname, let problem = NameRules.hostnameProblem(hostname, allowWildcard: false) {
            report("\(path).hostname", .invalid, problem)
        }
        if let port = redirect.port { requireRange(port, 1...65535, "\(path).port") }
        if !HTTPRequestRedirectFilter.allowedStatusCodes.contains(redirect.statusCode) {
            report("\(path).statusCode", .invalid, "must be one of 301, 302, 303, 307, 308, got \(redirect.statusCode)")
        }
        if let modifier = redirect.path {
            check(modifier, "\(path).path", rule: rule, filter: "RequestRedirect")
        }
    }

    mutating func check(_ modifier: HTTPPathModifier, _ path: String, rule: HTTPRouteRule, filter: String) {
        switch modifier {
        case .replaceFullPath(let value):
            if value.utf8.first != UInt8(ascii: "/") {
                report("\(path).replaceFullPath", .invalid, "must start with \"/\"")
            }
        case .replacePrefixMatch(let value):
            if !value.isEmpty && value.utf8.first != UInt8(ascii: "/") {
                report("\(path).replacePrefixMatch", .invalid, "must be empty or start with \"/\"")
            }
            let matches = rule.effectiveMatches
            if matches.count != 1 || matches[0].path.type != .pathPrefix {
                report(
                    "\(path).replacePrefixMatch", .conflict,
                    "When using \(filter) filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified")
            }
        case .regexSubstitution(let substitution):
            checkRegex(substitution.pattern, "\(path).regexSubstitution.pattern")
        }
    }

    mutating func check(_ mirror: HTTPRequestMirrorFilter, _ path: String) {
        if !backendNames.contains(mirror.backend) {
            report("\(path).backend", .unknownReference, "unknown backend \"\(mirror.backend)\"")
        }
        if mirror.percent != nil && mirror.fraction != nil {
            report(path, .conflict, "Only one of percent or fraction may be specified in HTTPRequestMirrorFilter")
        }
        if let percent = mirror.percent { requireRange(percent, 0...100, "\(path).percent") }
        if let fraction = mirror.fraction {
            requirePositive(fraction.denominator, "\(path).fraction.denominator")
            if fraction.numerator < 0 {
                report("\(path).fraction.numerator", .outOfRange, "must not be negative")
            } else if fraction.denominator > 0, fraction.numerator > fraction.denominator {
                report("\(path).fraction", .outOfRange, "numerator must be less than or equal to denominator")
            }
        }
    }
}
