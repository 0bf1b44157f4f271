import Testing
@testable import APIMachinery

@Suite struct StringFormatsTests {
    @Test(arguments: [
        ("date-time", "2024-01-02T03:04:05Z", true), ("date-time", "2024-01-02t03:04:05.123+01:00", true),
        ("date-time", "2024-01-02T25:04:05Z", false), ("date-time", "2024-01-02", false),
        ("datetime", "2024-02-30T00:00:00Z", false),
        ("date", "2024-02-29", true), ("date", "2023-02-29", false), ("date", "2024-1-1", false),
        ("byte", "aGVsbG8=", true), ("byte", "hello", false), ("byte", "", false),
        ("uuid", "123e4567-e89b-12d3-a456-426614174000", true), ("uuid", "123e4567", false),
        ("uuid3", "123e4567-e89b-32d3-a456-426614174000", true), ("uuid4", "123e4567-e89b-42d3-a456-426614174000", true),
        ("uuid5", "123e4567-e89b-52d3-a456-426614174000", true), ("uuid4", "123e4567-e89b-52d3-a456-426614174000", false),
        ("ipv4", "10.0.0.1", true), ("ipv4", "10.0.0.256", false), ("ipv4", "::1", false),
        ("ipv6", "::1", true), ("ipv6", "fe80::1:2", true), ("ipv6", "2001:db8::10.0.0.1", true), ("ipv6", "1:2:3", false),
        ("cidr", "10.0.0.0/8", true), ("cidr", "fd00::/64", true), ("cidr", "10.0.0.0/33", false),
        ("mac", "01:23:45:67:89:ab", true), ("mac", "0123.4567.89ab", true), ("mac", "01:23", false),
        ("hostname", "example.com", true), ("hostname", "-bad", false),
        ("email", "a@b.c", true), ("email", "nope", false),
        ("uri", "https://example.com/x", true), ("uri", "/relative/path", true), ("uri", "not a uri", false),
        ("duration", "1h30m", true), ("duration", "10 s", true), ("duration", "soon", false),
        ("hexcolor", "#ffaa00", true), ("hexcolor", "#ffaa0", false),
        ("rgbcolor", "rgb(1, 2, 3)", true), ("rgbcolor", "rgb(1,2)", false),
        ("ssn", "123-45-6789", true), ("ssn", "12-345-6789", false),
        ("bsonobjectid", "507f1f77bcf86cd799439011", true), ("bsonobjectid", "507f", false),
        ("password", "anything", true),
    ])
    func formats(format: String, value: String, valid: Bool) {
        #expect(StringFormats.isSupported(format))
        #expect(StringFormats.validates(format, value) == valid)
    }

    @Test func unknownFormatsAreNotChecked() {
        #expect(!StringFormats.isSupported("k8s-custom"))
        #expect(StringFormats.validates("k8s-custom", "x") == nil)
    }
}
